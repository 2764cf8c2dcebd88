// Suhbat Android app: `app` (Compose screens, Android platform code) over `shared` (pure
// Kotlin: generated UniFFI bindings + repository and state holders, also tested on the JVM).
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}

dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}

rootProject.name = "Suhbat"
include(":app", ":shared")
