using Microsoft.EntityFrameworkCore;
using Pantau.Data.Tally;

namespace Pantau.Data;

public partial class PantauDbContext
{
    public DbSet<ResultVersion> ResultVersions => Set<ResultVersion>();
    public DbSet<TallyCurrent> TallyCurrent => Set<TallyCurrent>();
    public DbSet<TallyRecap> TallyRecaps => Set<TallyRecap>();
    public DbSet<TallyLogEntry> TallyLog => Set<TallyLogEntry>();
    public DbSet<TallyCheckpoint> TallyCheckpoints => Set<TallyCheckpoint>();
}

public partial class PantauDbContext
{
    /// <summary>Results published elsewhere, as partial sheets per source (never counted; docs/tally.md "Results from other sources").</summary>
    public DbSet<SourceSheet> SourceSheets => Set<SourceSheet>();
}
