using Microsoft.EntityFrameworkCore;
using Pantau.Data.Tally.Anomalies;

namespace Pantau.Data;

public partial class PantauDbContext
{
    public DbSet<TallyAnomaly> TallyAnomalies => Set<TallyAnomaly>();
    public DbSet<TallyAnomalyEvent> TallyAnomalyEvents => Set<TallyAnomalyEvent>();
    public DbSet<TallyAnomalyScanState> TallyAnomalyScanStates => Set<TallyAnomalyScanState>();
}
