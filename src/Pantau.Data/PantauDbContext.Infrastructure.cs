using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Pantau.Data.Files;
using Pantau.Data.Jobs;

namespace Pantau.Data;

public partial class PantauDbContext
{
    public DbSet<StoredFile> Files => Set<StoredFile>();
    public DbSet<JobLease> JobLeases => Set<JobLease>();
}

internal sealed class StoredFileConfiguration : IEntityTypeConfiguration<StoredFile>
{
    public void Configure(EntityTypeBuilder<StoredFile> b)
    {
        b.HasIndex(f => f.Sha256);
        b.Property(f => f.Sha256).HasMaxLength(64);
        b.Property(f => f.ContentType).HasMaxLength(100);
        b.Property(f => f.FileName).HasMaxLength(255);
        b.Property(f => f.UploadedBy).HasMaxLength(256);
    }
}

internal sealed class JobLeaseConfiguration : IEntityTypeConfiguration<JobLease>
{
    public void Configure(EntityTypeBuilder<JobLease> b)
    {
        b.HasKey(j => j.Name);
        b.Property(j => j.Name).HasMaxLength(100);
        b.Property(j => j.LockedBy).HasMaxLength(100);
        b.Property(j => j.Version).IsConcurrencyToken();
    }
}
