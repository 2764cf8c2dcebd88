// Pure Kotlin (JVM) layer of the app: the UniFFI bindings generated from the Rust library plus
// the repository and state holders over them. No Android API here, so the same sources are
// compiled and tested on the JVM by the workspace tests (tests/tests/kotlin.rs).
import org.gradle.internal.os.OperatingSystem

plugins {
    alias(libs.plugins.kotlin.jvm)
}

kotlin {
    jvmToolchain(17)
}

val rustRoot: File = rootDir.parentFile
val generatedBindings = layout.buildDirectory.dir("generated/uniffi")
val hostLibrary = if (OperatingSystem.current().isMacOsX) "libsuhbat_ffi.dylib" else "libsuhbat_ffi.so"

// Builds the library for this computer and generates the Kotlin bindings from it (library mode).
val generateBindings by tasks.registering(Exec::class) {
    description = "Generates the Kotlin bindings of suhbat-ffi with uniffi-bindgen"
    workingDir = rustRoot
    inputs.dir(rustRoot.resolve("core/src"))
    inputs.dir(rustRoot.resolve("bindings/src"))
    inputs.file(rustRoot.resolve("bindings/uniffi.toml"))
    outputs.dir(generatedBindings)
    commandLine(
        "sh", "-c",
        "cargo build --locked -p suhbat-ffi && " +
            "cargo run --locked -p suhbat-ffi --bin uniffi-bindgen -- generate " +
            "--library target/debug/$hostLibrary --language kotlin --no-format " +
            "--out-dir '${generatedBindings.get().asFile}'",
    )
}

sourceSets {
    main {
        kotlin.srcDir(generatedBindings)
    }
}

tasks.named("compileKotlin") {
    dependsOn(generateBindings)
}

dependencies {
    api(libs.kotlinx.coroutines.core)
    // The app brings JNA as an Android archive (with its native part); the JVM uses the jar.
    compileOnly(libs.jna)
}
