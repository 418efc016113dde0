using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Pantau.Data.Auditing;
using Pantau.Data.Elections;
using Pantau.Data.Identity;
using Pantau.Data.Regions;

namespace Pantau.Data;

/// <summary>
/// The one EF Core model of Pantau, used with SQLite (embedded) and PostgreSQL (production).
/// Feature folders add their sets in partial class files and their mappings as
/// <see cref="IEntityTypeConfiguration{TEntity}"/> classes in this assembly.
/// Every change to an entity not marked <see cref="NotAuditedAttribute"/> is written to the audit trail in the same transaction.
/// </summary>
public partial class PantauDbContext(
    DbContextOptions<PantauDbContext> options,
    IActorAccessor? actor = null,
    TimeProvider? time = null,
    AccountEpochs? accountEpochs = null) : IdentityDbContext<PantauUser>(options)
{
    public TimeProvider Clock { get; } = time ?? TimeProvider.System;
    public IActorAccessor Actor { get; } = actor ?? SystemActorAccessor.Instance;
    /// <summary>Where a saved account or token change is announced to credential caches (<see cref="Identity.AccountEpochs.Process"/> unless given).</summary>
    public AccountEpochs AccountEpochs { get; } = accountEpochs ?? AccountEpochs.Process;

    public DbSet<Region> Regions => Set<Region>();
    public DbSet<Tps> Tps => Set<Tps>();
    public DbSet<PemiluTps> PemiluTps => Set<PemiluTps>();
    public DbSet<Election> Elections => Set<Election>();
    public DbSet<PsuTps> PsuTps => Set<PsuTps>();
    public DbSet<Contest> Contests => Set<Contest>();
    public DbSet<Paslon> Paslon => Set<Paslon>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    /// <summary>When false, SaveChanges writes no audit rows (used only by the bulk master-data import, which logs one summary row itself).</summary>
    public bool AuditEnabled { get; set; } = true;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        if (Database.ProviderName == "Microsoft.EntityFrameworkCore.Sqlite")
        {
            // SQLite cannot compare or order DateTimeOffset; store UTC ticks, which sort correctly.
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
            configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(PantauDbContext).Assembly);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess) =>
        SaveChangesAsync(acceptAllChangesOnSuccess).GetAwaiter().GetResult();

    /// <summary>
    /// Saves, writing audit rows in the same transaction. Rows whose key the database generates are audited after the insert,
    /// so that the audit row names the real key (the audit table is append-only: its rows are never updated afterwards).
    /// </summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        CheckText();
        var deferred = AddAuditEntries(defer: acceptAllChangesOnSuccess, out var accounts);
        if (!accounts) return await SaveAuditedAsync(deferred, acceptAllChangesOnSuccess, cancellationToken);
        // An account or token change moves the epoch before and after the write, so a credential check that read the old rows
        // cannot be cached as current (see AccountEpochs).
        var database = Database.GetConnectionString();
        AccountEpochs.Move(database);
        try { return await SaveAuditedAsync(deferred, acceptAllChangesOnSuccess, cancellationToken); }
        finally { AccountEpochs.Move(database); }
    }

    /// <summary>
    /// Every text value about to be written is checked the same way before either database sees it (<see cref="Pantau.Core.Text.TextRules"/>):
    /// no U+0000 (PostgreSQL refuses it with 22021, SQLite would store it), no lone surrogate, at most the column's declared length
    /// (SQLite does not enforce it). A refusal throws <see cref="Pantau.Core.Text.TextRejectedException"/> (answered 400) and writes nothing.
    /// </summary>
    private void CheckText()
    {
        foreach (var e in ChangeTracker.Entries())
        {
            if (e.State is not (EntityState.Added or EntityState.Modified)) continue;
            foreach (var p in e.Properties)
            {
                if (p.CurrentValue is not string text || (e.State == EntityState.Modified && !p.IsModified)) continue;
                var max = p.Metadata.GetMaxLength() ?? int.MaxValue;
                if (Pantau.Core.Text.TextRules.Check(text, max) is { } bad)
                {
                    var field = char.ToLowerInvariant(p.Metadata.Name[0]) + p.Metadata.Name[1..];
                    throw new Pantau.Core.Text.TextRejectedException(field, bad.Code, bad.Id, bad.En);
                }
            }
        }
    }

    private async Task<int> SaveAuditedAsync(List<EntityEntry> deferred, bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        if (deferred.Count == 0 && !ChangeTracker.Entries<AuditEntry>().Any(e => e.State == EntityState.Added))
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        // Audit rows are chained (AuditAppend): the tail is read and the rows written in one transaction. A retrying execution strategy
        // (PostgreSQL) allows a transaction of our own only inside the strategy.
        var strategy = Database.CreateExecutionStrategy();
        if (Database.CurrentTransaction is null && strategy.RetriesOnFailure)
            return await strategy.ExecuteAsync(() => SaveChainedAsync(deferred, acceptAllChangesOnSuccess, cancellationToken));
        return await SaveChainedAsync(deferred, acceptAllChangesOnSuccess, cancellationToken);
    }

    private async Task<int> SaveChainedAsync(List<EntityEntry> deferred, bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        var own = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var tail = await ChainPendingAsync(null, cancellationToken);
            var n = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            if (deferred.Count > 0)
            {
                var now = Clock.GetUtcNow();
                foreach (var e in deferred)
                    AuditEntries.Add(NewAudit(now, EntityState.Added, e, null, JsonSerializer.Serialize(Snapshot(e, EntityState.Added).After)));
                await ChainPendingAsync(tail, cancellationToken);
                await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            }
            if (own is not null) await own.CommitAsync(cancellationToken);
            return n;
        }
        finally
        {
            if (own is not null) await own.DisposeAsync();
        }
    }

    /// <summary>
    /// Seals every audit row about to be inserted onto the chain, in the order they were added (after <paramref name="tail"/>, or after
    /// the stored tail read under the append lock). Rows left over from a failed earlier save are sealed again, so a retried save
    /// never reuses a stale position.
    /// </summary>
    private async Task<(long Seq, string Hash)?> ChainPendingAsync((long Seq, string Hash)? tail, CancellationToken cancellationToken)
    {
        var pending = ChangeTracker.Entries<AuditEntry>().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        if (pending.Count == 0) return tail;
        var t = tail ?? await AuditAppend.LockTailAsync(this, cancellationToken);
        foreach (var a in pending) t = AuditAppend.Seal(a, t);
        return t;
    }

    private AuditEntry NewAudit(DateTimeOffset now, EntityState action, EntityEntry e, string? before, string? after) => new()
    {
        At = now,
        UserId = Actor.Current.UserId,
        UserName = Actor.Current.UserName,
        RemoteIp = Actor.RemoteIp,
        Action = action.ToString(),
        EntityType = e.Metadata.ClrType.Name,
        EntityKey = KeyOf(e),
        Before = before,
        After = after,
    };

    /// <summary>
    /// Adds the audit rows for this save; returns the inserted entries whose keys are not known yet, and in <paramref name="accounts"/>
    /// whether the save changes a user or an API token (noted even when auditing is off).
    /// </summary>
    private List<EntityEntry> AddAuditEntries(bool defer, out bool accounts)
    {
        accounts = false;
        var deferred = new List<EntityEntry>();
        var now = Clock.GetUtcNow();
        var entries = new List<AuditEntry>();
        foreach (var e in ChangeTracker.Entries())
        {
            if (e.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted)) continue;
            accounts |= e.Entity is PantauUser or ApiToken;
            if (!AuditEnabled) continue;
            var type = e.Metadata.ClrType;
            if (Attribute.IsDefined(type, typeof(NotAuditedAttribute))) continue;
            if (defer && e.State == EntityState.Added && e.Properties.Any(p => p.IsTemporary)) { deferred.Add(e); continue; }
            var (before, after) = Snapshot(e, e.State);
            if (e.State == EntityState.Modified && before.Count == 0) continue;
            entries.Add(NewAudit(now, e.State, e,
                e.State == EntityState.Added ? null : JsonSerializer.Serialize(before),
                e.State == EntityState.Deleted ? null : JsonSerializer.Serialize(after)));
        }
        AuditEntries.AddRange(entries);
        return deferred;
    }

    /// <summary>Properties of the ASP.NET Identity user that cannot carry <see cref="MaskedAttribute"/> (declared by the framework).</summary>
    private static readonly Dictionary<string, MaskReason> IdentityUserMasked = new()
    {
        [nameof(PantauUser.PasswordHash)] = MaskReason.Secret, [nameof(PantauUser.SecurityStamp)] = MaskReason.Secret,
        [nameof(PantauUser.ConcurrencyStamp)] = MaskReason.Secret, [nameof(PantauUser.Email)] = MaskReason.PersonalData,
        [nameof(PantauUser.NormalizedEmail)] = MaskReason.PersonalData, [nameof(PantauUser.PhoneNumber)] = MaskReason.PersonalData,
    };

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(Type, string), MaskReason?> MaskCache = new();

    /// <summary>Whether (and why) the audit trail masks a property: <see cref="MaskedAttribute"/> on it, or one of the Identity user's own fields.</summary>
    public static MaskReason? MaskOf(Type entity, string property) => MaskCache.GetOrAdd((entity, property), static k =>
    {
        var attribute = k.Item1.GetProperties().Where(p => p.Name == k.Item2)
            .SelectMany(p => p.GetCustomAttributes(typeof(MaskedAttribute), inherit: true).OfType<MaskedAttribute>()).FirstOrDefault();
        if (attribute is not null) return attribute.Reason;
        return typeof(IdentityUser<string>).IsAssignableFrom(k.Item1) && IdentityUserMasked.TryGetValue(k.Item2, out var r) ? r : null;
    });

    /// <summary>
    /// The audited values of an entry as a change of kind <paramref name="state"/>: masked properties (<see cref="MaskOf"/>) as
    /// <c>"***"</c> (null stays null, so one still sees what was given and what changed), byte arrays as their length.
    /// </summary>
    private static (Dictionary<string, object?> Before, Dictionary<string, object?> After) Snapshot(EntityEntry e, EntityState state)
    {
        var before = new Dictionary<string, object?>();
        var after = new Dictionary<string, object?>();
        var type = e.Metadata.ClrType;
        foreach (var p in e.Properties)
        {
            var name = p.Metadata.Name;
            var masked = MaskOf(type, name) is not null;
            object? Show(object? v) => v is null ? null : masked ? MaskedAttribute.Placeholder : v is byte[] bytes ? $"<{bytes.Length} bytes>" : v;
            switch (state)
            {
                case EntityState.Added:
                    after[name] = Show(p.CurrentValue);
                    break;
                case EntityState.Deleted:
                    before[name] = Show(p.OriginalValue);
                    break;
                case EntityState.Modified when p.IsModified && !Equals(p.OriginalValue, p.CurrentValue):
                    before[name] = Show(p.OriginalValue);
                    after[name] = Show(p.CurrentValue);
                    break;
            }
        }
        return (before, after);
    }

    private static string KeyOf(EntityEntry e)
    {
        var key = e.Metadata.FindPrimaryKey();
        if (key is null) return "";
        return string.Join("|", key.Properties.Select(p => e.Property(p.Name).CurrentValue?.ToString() ?? ""));
    }

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks,
        v => new DateTimeOffset(v, TimeSpan.Zero));
}

/// <summary>Marks an entity whose changes are not copied to the audit trail (append-only logs that are their own record).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class NotAuditedAttribute : Attribute;

/// <summary>Tells the data layer who is acting, for the audit trail.</summary>
public interface IActorAccessor
{
    Core.Security.Actor Current { get; }
    string? RemoteIp { get; }
}

public sealed class SystemActorAccessor : IActorAccessor
{
    public static readonly SystemActorAccessor Instance = new();
    public Core.Security.Actor Current => Core.Security.Actor.System;
    public string? RemoteIp => null;
}
