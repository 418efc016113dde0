using Microsoft.EntityFrameworkCore;
using Pantau.Data.Notifications;

namespace Pantau.Data;

public partial class PantauDbContext
{
    public DbSet<Notification> Notifications => Set<Notification>();
    public DbSet<NotificationDelivery> NotificationDeliveries => Set<NotificationDelivery>();
    public DbSet<NotificationAttempt> NotificationAttempts => Set<NotificationAttempt>();
    public DbSet<NotificationPreference> NotificationPreferences => Set<NotificationPreference>();
    public DbSet<WebhookSubscription> WebhookSubscriptions => Set<WebhookSubscription>();
}
