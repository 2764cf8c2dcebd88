package uz.suhbat.app.sync

import android.content.Context
import androidx.work.Constraints
import androidx.work.CoroutineWorker
import androidx.work.Data
import androidx.work.ExistingPeriodicWorkPolicy
import androidx.work.ExistingWorkPolicy
import androidx.work.NetworkType
import androidx.work.OneTimeWorkRequestBuilder
import androidx.work.PeriodicWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.WorkerParameters
import androidx.work.workDataOf
import java.io.IOException
import java.util.concurrent.TimeUnit
import okhttp3.MediaType.Companion.toMediaType
import okhttp3.OkHttpClient
import okhttp3.Request
import okhttp3.RequestBody.Companion.toRequestBody
import uz.suhbat.app.SuhbatApp
import uz.suhbat.shared.BackgroundSyncResult
import uz.suhbat.shared.HubApi
import uz.suhbat.shared.HubConnector
import uz.suhbat.shared.HubTransport
import uz.suhbat.shared.PinnedCa
import uz.suhbat.shared.phoneText

/** Carries frames to the hub over HTTPS: `POST <hub><path>`, bytes in, bytes out. */
class OkHttpTransport(private val hubUrl: String, private val client: OkHttpClient) : HubTransport {
    override fun post(path: String, body: ByteArray): ByteArray {
        val http = Request.Builder()
            .url(hubUrl.trimEnd('/') + path)
            .post(body.toRequestBody(FRAME))
            .build()
        client.newCall(http).execute().use { response ->
            if (!response.isSuccessful) throw IOException("${phoneText("error.hub_status")} · ${response.code}")
            return response.body?.bytes() ?: throw IOException(phoneText("error.hub_empty"))
        }
    }
    private companion object {
        val FRAME = HubApi.FRAME_TYPE.toMediaType()
    }
}

/**
 * OkHttp clients for the hub. With the hub's authority certificate (PEM, kept with the store
 * at enrolment) the client trusts that authority only — an X509TrustManager built from it,
 * not the phone's public CAs; host names are still verified against the hub's certificate.
 */
class OkHttpConnector : HubConnector {
    private val base = OkHttpClient.Builder()
        .connectTimeout(20, TimeUnit.SECONDS)
        .readTimeout(60, TimeUnit.SECONDS)
        .build()

    override fun connect(hubUrl: String, caPem: String?): HubTransport {
        val client = if (caPem == null) {
            base
        } else {
            val trust = PinnedCa.trustManager(caPem)
            base.newBuilder().sslSocketFactory(PinnedCa.sslContext(trust).socketFactory, trust).build()
        }
        return OkHttpTransport(hubUrl, client)
    }
}

/**
 * One sync in the background, also in a cold process with no screen: the shared layer's
 * [uz.suhbat.shared.BackgroundSync] opens the store, syncs and wipes it when the hub revoked
 * the device; this maps its result to WorkManager's (network failures are retried).
 * WorkManager knows only success, failure and retry: "nothing to do" (no store, not enrolled)
 * is a failure whose output says so, never a success.
 */
class SyncWorker(context: Context, params: WorkerParameters) : CoroutineWorker(context, params) {
    override suspend fun doWork(): Result {
        val app = applicationContext as SuhbatApp
        return when (val result = app.backgroundSync.run()) {
            is BackgroundSyncResult.Synced -> Result.success(outcome("synced"))
            BackgroundSyncResult.NothingToDo -> Result.failure(outcome("nothing to do"))
            is BackgroundSyncResult.Failed -> if (result.retry) Result.retry() else Result.failure(outcome(result.message))
            is BackgroundSyncResult.Wiped -> {
                app.storeWiped()
                Result.failure(outcome(result.message))
            }
        }
    }

    private fun outcome(text: String): Data = workDataOf(OUTCOME to text)

    companion object {
        /** Output key: what the run did ("synced", "nothing to do" or the failure). */
        const val OUTCOME = "outcome"
        private const val PERIODIC = "suhbat-sync"
        private const val NOW = "suhbat-sync-now"
        private val online = Constraints.Builder().setRequiredNetworkType(NetworkType.CONNECTED).build()

        /** Syncs every six hours while online. */
        fun schedule(context: Context) {
            val request = PeriodicWorkRequestBuilder<SyncWorker>(6, TimeUnit.HOURS).setConstraints(online).build()
            WorkManager.getInstance(context).enqueueUniquePeriodicWork(PERIODIC, ExistingPeriodicWorkPolicy.KEEP, request)
        }

        /** Syncs as soon as the phone is online. */
        fun now(context: Context) {
            val request = OneTimeWorkRequestBuilder<SyncWorker>().setConstraints(online).build()
            WorkManager.getInstance(context).enqueueUniqueWork(NOW, ExistingWorkPolicy.REPLACE, request)
        }

        /** Stops periodic syncs (after a wipe). */
        fun cancel(context: Context) {
            WorkManager.getInstance(context).cancelUniqueWork(PERIODIC)
        }
    }
}
