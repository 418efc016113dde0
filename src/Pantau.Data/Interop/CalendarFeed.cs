using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Pantau.Data.Auditing;

namespace Pantau.Data.Interop;

/// <summary>
/// A user's private calendar feed: a secret URL a phone subscribes to (rakor and action deadlines in the user's scope besides the
/// public tahapan). Only the secret's SHA-256 is stored; creating a new one or revoking ends the old URL at once.
/// </summary>
public class CalendarFeed
{
    public int Id { get; set; }
    public required string UserId { get; set; }
    [Masked(MaskReason.Secret)]
    public required string SecretHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

internal sealed class CalendarFeedConfiguration : IEntityTypeConfiguration<CalendarFeed>
{
    public void Configure(EntityTypeBuilder<CalendarFeed> b)
    {
        b.HasIndex(f => f.SecretHash).IsUnique();
        b.HasIndex(f => f.UserId);
        b.Property(f => f.UserId).HasMaxLength(450);
        b.Property(f => f.SecretHash).HasMaxLength(64);
    }
}
