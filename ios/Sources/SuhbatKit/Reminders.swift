import Foundation
import SuhbatFFI
import UserNotifications

/// The core's notifier: each reminder becomes a local notification at its time. The core
/// decides which reminders exist and their texts; this class only schedules them.
public final class NotificationReminders: Notifier, @unchecked Sendable {
    private let center: UNUserNotificationCenter

    /// Reminders through `center`.
    public init(center: UNUserNotificationCenter = .current()) {
        self.center = center
    }

    /// Asks once for permission to show reminders.
    public func requestPermission() {
        center.requestAuthorization(options: [.alert, .sound, .badge]) { _, _ in }
    }

    public func replaceAll(reminders: [Reminder]) throws -> UInt32 {
        center.removeAllPendingNotificationRequests()
        let now = Date().timeIntervalSince1970
        for reminder in reminders {
            let content = UNMutableNotificationContent()
            content.title = reminder.title
            content.body = reminder.body
            content.sound = .default
            let delay = max(1, Double(reminder.fireAtMs) / 1000 - now)
            let trigger = UNTimeIntervalNotificationTrigger(timeInterval: delay, repeats: false)
            center.add(UNNotificationRequest(identifier: reminder.id, content: content, trigger: trigger))
        }
        return UInt32(reminders.count)
    }
}
