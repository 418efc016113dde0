using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Pantau.Core.Notifications;
using Pantau.Data.Auditing;

namespace Pantau.Data.Notifications;

/// <summary>
/// One notification (the outbox row), written in the same transaction as the event it tells of. <see cref="UserId"/> names the
/// account told (its in-app item); it is null for a webhook's or a citizen reporter's copy. The row is its own record (not audited).
/// </summary>
[NotAudited]
public class Notification
{
    public long Id { get; set; }
    /// <summary>Stable id sent to webhooks and as the e-mail Message-Id: receivers deduplicate by it.</summary>
    public Guid PublicId { get; set; }
    public NotificationKind Kind { get; set; }
    public string? UserId { get; set; }
    public required string RegionCode { get; set; }
    /// <summary>What it is about, e.g. <c>incident:GUID</c>, <c>action:12</c> (timed kinds are written once per subject and user).</summary>
    public required string Subject { get; set; }
    public required string TitleId { get; set; }
    public required string TitleEn { get; set; }
    public required string BodyId { get; set; }
    public required string BodyEn { get; set; }
    /// <summary>Path of the item in the app (<c>/insiden/...</c>), made absolute with <c>Pantau:PublicUrl</c> in e-mails.</summary>
    public required string Link { get; set; }
    public bool Critical { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ReadAt { get; set; }
    public List<NotificationDelivery> Deliveries { get; set; } = [];
}

/// <summary>One channel's delivery of a notification: e-mail to an address, or a webhook subscription. Claimed by a sender with a lease.</summary>
[NotAudited]
public class NotificationDelivery
{
    public long Id { get; set; }
    public long NotificationId { get; set; }
    public Notification? Notification { get; set; }
    public NotificationChannel Channel { get; set; }
    /// <summary>The e-mail address (personal data: masked wherever audited).</summary>
    [Masked]
    public string? EmailAddress { get; set; }
    public int? WebhookId { get; set; }
    public DeliveryStatus Status { get; set; }
    /// <summary>Part of a daily digest (one e-mail for all of a user's digest items due at that time).</summary>
    public bool Digest { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
    public string? LockedBy { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public string? LastError { get; set; }
    public List<NotificationAttempt> AttemptLog { get; set; } = [];
}

/// <summary>Every attempt to deliver, with its outcome.</summary>
[NotAudited]
public class NotificationAttempt
{
    public long Id { get; set; }
    public long DeliveryId { get; set; }
    public DateTimeOffset At { get; set; }
    public bool Success { get; set; }
    public string? Error { get; set; }
    public string Instance { get; set; } = "";
}

/// <summary>A user's notification preferences (absent: everything on, immediate, no quiet hours).</summary>
public class NotificationPreference
{
    public required string UserId { get; set; }
    /// <summary>Muted kinds as comma-separated ints.</summary>
    public string MutedKinds { get; set; } = "";
    public bool Email { get; set; } = true;
    public bool Digest { get; set; }
    public int DigestHour { get; set; } = 7;
    public int? QuietFromMinute { get; set; }
    public int? QuietToMinute { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>An outbound webhook (a province's WhatsApp/Telegram gateway): signed JSON for the kinds of its region subtree.</summary>
public class WebhookSubscription
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public required string RegionCode { get; set; }
    public required string Url { get; set; }
    /// <summary>HMAC-SHA256 key of the <c>X-Pantau-Signature</c> header.</summary>
    [Masked(MaskReason.Secret)]
    public required string Secret { get; set; }
    /// <summary>Kinds as comma-separated ints; empty means all.</summary>
    public string Kinds { get; set; } = "";
    public bool Active { get; set; } = true;
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> b)
    {
        b.HasIndex(n => n.PublicId).IsUnique();
        b.HasIndex(n => new { n.UserId, n.ReadAt, n.Id });
        b.HasIndex(n => new { n.Subject, n.Kind });
        b.HasIndex(n => n.CreatedAt);
        b.Property(n => n.UserId).HasMaxLength(64);
        b.Property(n => n.RegionCode).HasMaxLength(20);
        b.Property(n => n.Subject).HasMaxLength(80);
        b.Property(n => n.TitleId).HasMaxLength(300);
        b.Property(n => n.TitleEn).HasMaxLength(300);
        b.Property(n => n.BodyId).HasMaxLength(2000);
        b.Property(n => n.BodyEn).HasMaxLength(2000);
        b.Property(n => n.Link).HasMaxLength(300);
        b.HasMany(n => n.Deliveries).WithOne(d => d.Notification).HasForeignKey(d => d.NotificationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class NotificationDeliveryConfiguration : IEntityTypeConfiguration<NotificationDelivery>
{
    public void Configure(EntityTypeBuilder<NotificationDelivery> b)
    {
        b.HasIndex(d => new { d.Status, d.NextAttemptAt });
        b.Property(d => d.EmailAddress).HasMaxLength(256);
        b.Property(d => d.LockedBy).HasMaxLength(120);
        b.Property(d => d.LastError).HasMaxLength(1000);
        b.HasMany(d => d.AttemptLog).WithOne().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class NotificationAttemptConfiguration : IEntityTypeConfiguration<NotificationAttempt>
{
    public void Configure(EntityTypeBuilder<NotificationAttempt> b)
    {
        b.Property(a => a.Error).HasMaxLength(1000);
        b.Property(a => a.Instance).HasMaxLength(120);
    }
}

internal sealed class NotificationPreferenceConfiguration : IEntityTypeConfiguration<NotificationPreference>
{
    public void Configure(EntityTypeBuilder<NotificationPreference> b)
    {
        b.HasKey(p => p.UserId);
        b.Property(p => p.UserId).HasMaxLength(64);
        b.Property(p => p.MutedKinds).HasMaxLength(200);
    }
}

internal sealed class WebhookSubscriptionConfiguration : IEntityTypeConfiguration<WebhookSubscription>
{
    public void Configure(EntityTypeBuilder<WebhookSubscription> b)
    {
        b.Property(w => w.Name).HasMaxLength(120);
        b.Property(w => w.RegionCode).HasMaxLength(20);
        b.Property(w => w.Url).HasMaxLength(500);
        b.Property(w => w.Secret).HasMaxLength(200);
        b.Property(w => w.Kinds).HasMaxLength(200);
        b.Property(w => w.CreatedBy).HasMaxLength(256);
    }
}
