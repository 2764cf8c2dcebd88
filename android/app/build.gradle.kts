// The Android app: Compose screens over the shared layer, Android Keystore key wrapping,
// WorkManager + OkHttp sync and reminders. The Rust library is cross-compiled with cargo-ndk.
plugins {
    alias(libs.plugins.android.application)
    alias(libs.plugins.kotlin.android)
    alias(libs.plugins.kotlin.compose)
}

android {
    namespace = "uz.suhbat.app"
    compileSdk = 35

    defaultConfig {
        applicationId = "uz.suhbat.app"
        minSdk = 26
        targetSdk = 35
        versionCode = 1
        versionName = "0.1.0"
        // The hub's base URL; empty until the hub is deployed (sync is then disabled).
        buildConfigField("String", "HUB_URL", "\"\"")
    }

    buildTypes {
        release {
            isMinifyEnabled = true
            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"), "proguard-rules.pro")
        }
    }

    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }

    kotlinOptions {
        jvmTarget = "17"
    }

    buildFeatures {
        compose = true
        buildConfig = true
    }

    sourceSets["main"].jniLibs.srcDir(layout.buildDirectory.dir("rustJniLibs"))
}

val rustRoot: File = rootDir.parentFile
val rustJniLibs = layout.buildDirectory.dir("rustJniLibs")

// Cross-compiles suhbat-ffi for the phone ABIs (needs `cargo install cargo-ndk`, the Rust
// Android targets and ANDROID_NDK_HOME). SQLCipher and OpenSSL are built from source (the NDK
// has no libcrypto: feature `vendored-openssl`).
val cargoNdk by tasks.registering(Exec::class) {
    description = "Builds libsuhbat_ffi.so for arm64-v8a, armeabi-v7a and x86_64 with cargo-ndk"
    workingDir = rustRoot
    inputs.dir(rustRoot.resolve("core/src"))
    inputs.dir(rustRoot.resolve("bindings/src"))
    outputs.dir(rustJniLibs)
    commandLine(
        "cargo", "ndk",
        "-t", "arm64-v8a", "-t", "armeabi-v7a", "-t", "x86_64",
        "--platform", "26",
        "-o", rustJniLibs.get().asFile.path,
        "build", "--release", "--locked", "-p", "suhbat-ffi", "--features", "vendored-openssl",
    )
}

tasks.named("preBuild") {
    dependsOn(cargoNdk)
}

dependencies {
    implementation(project(":shared"))
    implementation(libs.jna) {
        artifact { type = "aar" }
    }
    implementation(libs.kotlinx.coroutines.android)
    implementation(platform(libs.compose.bom))
    implementation(libs.compose.ui)
    implementation(libs.compose.material3)
    implementation(libs.compose.material.icons)
    implementation(libs.compose.ui.tooling.preview)
    implementation(libs.activity.compose)
    implementation(libs.lifecycle.runtime.compose)
    implementation(libs.lifecycle.viewmodel.compose)
    implementation(libs.work.runtime)
    implementation(libs.okhttp)
    debugImplementation(libs.compose.ui.tooling)
}
