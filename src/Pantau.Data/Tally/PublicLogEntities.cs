using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;


namespace Pantau.Data.Tally;

/// <summary>
/// A signed tree head of the public log (docs/log-format.md): the Merkle root of the first <see cref="TreeSize"/> public
/// entries, signed by the server as a C2SP signed note (<see cref="Note"/>, body and signature line). Written beside each
/// hash-chain checkpoint.
/// </summary>
[NotAudited]
public class TallyTreeCheckpoint
{
    public long Id { get; set; }
    public long TreeSize { get; set; }
    /// <summary>The root hash, lowercase hex.</summary>
    public required string RootHash { get; set; }
    /// <summary>The hash-chain head at the same entry (links the tree to the private chain).</summary>
    public required string ChainHead { get; set; }
    public required string Note { get; set; }
    public required string KeyId { get; set; }
    public DateTimeOffset At { get; set; }
}

/// <summary>An outside party that countersigns checkpoints after checking them (ECDSA P-256 key, signed-note signature line).</summary>
public class TallyWitness
{
    public int Id { get; set; }
    /// <summary>The name in its signature lines, e.g. <c>witness.bawaslu.go.id</c>.</summary>
    public required string Name { get; set; }
    public required string Organisation { get; set; }
    public required string PublicKeyPem { get; set; }
    /// <summary>Signed-note key hash (4 bytes, hex).</summary>
    public required string KeyHash { get; set; }
    public bool Active { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
}

/// <summary>A witness's countersignature of a tree checkpoint: its signature line over the same note body.</summary>
[NotAudited]
public class TallyWitnessCosignature
{
    public long Id { get; set; }
    public int WitnessId { get; set; }
    public long TreeSize { get; set; }
    public required string RootHash { get; set; }
    public required string SignatureLine { get; set; }
    public DateTimeOffset At { get; set; }
}

internal sealed class TallyTreeCheckpointConfiguration : IEntityTypeConfiguration<TallyTreeCheckpoint>
{
    public void Configure(EntityTypeBuilder<TallyTreeCheckpoint> b)
    {
        b.Property(c => c.RootHash).HasMaxLength(64);
        b.Property(c => c.ChainHead).HasMaxLength(64);
        b.Property(c => c.Note).HasMaxLength(1000);
        b.Property(c => c.KeyId).HasMaxLength(32);
        b.HasIndex(c => c.TreeSize).IsUnique();
    }
}

internal sealed class TallyWitnessConfiguration : IEntityTypeConfiguration<TallyWitness>
{
    public void Configure(EntityTypeBuilder<TallyWitness> b)
    {
        b.Property(w => w.Name).HasMaxLength(100);
        b.Property(w => w.Organisation).HasMaxLength(200);
        b.Property(w => w.PublicKeyPem).HasMaxLength(1000);
        b.Property(w => w.KeyHash).HasMaxLength(8);
        b.Property(w => w.CreatedBy).HasMaxLength(100);
        b.HasIndex(w => w.Name).IsUnique();
    }
}

internal sealed class TallyWitnessCosignatureConfiguration : IEntityTypeConfiguration<TallyWitnessCosignature>
{
    public void Configure(EntityTypeBuilder<TallyWitnessCosignature> b)
    {
        b.Property(c => c.RootHash).HasMaxLength(64);
        b.Property(c => c.SignatureLine).HasMaxLength(300);
        b.HasIndex(c => new { c.TreeSize, c.WitnessId }).IsUnique();
    }
}
