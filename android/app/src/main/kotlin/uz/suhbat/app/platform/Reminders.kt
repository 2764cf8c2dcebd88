package uz.suhbat.app.platform

import android.annotation.SuppressLint
import android.app.NotificationChannel
import android.app.NotificationManager
import android.content.Context
import androidx.core.app.NotificationCompat
import androidx.core.app.NotificationManagerCompat
import androidx.work.OneTimeWorkRequestBuilder
import androidx.work.WorkManager
import androidx.work.Worker
import androidx.work.WorkerParameters
import androidx.work.workDataOf
import java.util.concurrent.TimeUnit
import uz.suhbat.ffi.Notifier
import uz.suhbat.ffi.Reminder

/**
 * The core's [Notifier]: each reminder becomes a delayed WorkManager job that posts a
 * notification at the reminder's time. The core decides which reminders exist and their
 * texts; this class only schedules them.
 */
class WorkManagerNotifier(
    private val context: Context,
    private val channelName: () -> String,
) : Notifier {

    override fun replaceAll(reminders: List<Reminder>): UInt {
        val work = WorkManager.getInstance(context)
        work.cancelAllWorkByTag(TAG)
        if (!NotificationManagerCompat.from(context).areNotificationsEnabled()) return 0u
        ensureChannel()
        val now = System.currentTimeMillis()
        for (reminder in reminders) {
            val request = OneTimeWorkRequestBuilder<ReminderWorker>()
                .setInitialDelay((reminder.fireAtMs - now).coerceAtLeast(0), TimeUnit.MILLISECONDS)
                .setInputData(workDataOf(KEY_ID to reminder.id, KEY_TITLE to reminder.title, KEY_BODY to reminder.body))
                .addTag(TAG)
                .build()
            work.enqueue(request)
        }
        return reminders.size.toUInt()
    }

    private fun ensureChannel() {
        val manager = context.getSystemService(NotificationManager::class.java)
        manager.createNotificationChannel(NotificationChannel(CHANNEL, channelName(), NotificationManager.IMPORTANCE_DEFAULT))
    }

    companion object {
        const val CHANNEL = "follow-ups"
        const val TAG = "suhbat-reminder"
        const val KEY_ID = "id"
        const val KEY_TITLE = "title"
        const val KEY_BODY = "body"
    }
}

/** Posts one reminder notification. */
class ReminderWorker(context: Context, params: WorkerParameters) : Worker(context, params) {
    @SuppressLint("MissingPermission") // areNotificationsEnabled() is checked before notify()
    override fun doWork(): Result {
        val id = inputData.getString(WorkManagerNotifier.KEY_ID) ?: return Result.failure()
        val notification = NotificationCompat.Builder(applicationContext, WorkManagerNotifier.CHANNEL)
            .setSmallIcon(android.R.drawable.ic_popup_reminder)
            .setContentTitle(inputData.getString(WorkManagerNotifier.KEY_TITLE))
            .setContentText(inputData.getString(WorkManagerNotifier.KEY_BODY))
            .setStyle(NotificationCompat.BigTextStyle().bigText(inputData.getString(WorkManagerNotifier.KEY_BODY)))
            .setAutoCancel(true)
            .build()
        val manager = NotificationManagerCompat.from(applicationContext)
        // The user may have withdrawn the permission after the reminder was scheduled.
        if (!manager.areNotificationsEnabled()) return Result.success()
        try {
            manager.notify(id.hashCode(), notification)
        } catch (e: SecurityException) {
            return Result.success()
        }
        return Result.success()
    }
}
