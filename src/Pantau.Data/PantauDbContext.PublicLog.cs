using Microsoft.EntityFrameworkCore;
using Pantau.Data.Tally;

namespace Pantau.Data;

public partial class PantauDbContext
{
    public DbSet<TallyTreeCheckpoint> TallyTreeCheckpoints => Set<TallyTreeCheckpoint>();
    public DbSet<TallyWitness> TallyWitnesses => Set<TallyWitness>();
    public DbSet<TallyWitnessCosignature> TallyWitnessCosignatures => Set<TallyWitnessCosignature>();
}
