using Microsoft.EntityFrameworkCore;
using Pantau.Data.Readiness;

namespace Pantau.Data;

public partial class PantauDbContext
{
    public DbSet<TahapanStage> TahapanStages => Set<TahapanStage>();
    public DbSet<ReadinessTemplate> ReadinessTemplates => Set<ReadinessTemplate>();
    public DbSet<ReadinessTaskState> ReadinessTaskStates => Set<ReadinessTaskState>();
    public DbSet<WarehouseStock> WarehouseStocks => Set<WarehouseStock>();
    public DbSet<LogisticsHandover> LogisticsHandovers => Set<LogisticsHandover>();
    public DbSet<LogisticsHandoverLine> LogisticsHandoverLines => Set<LogisticsHandoverLine>();
    public DbSet<LogisticsShipment> LogisticsShipments => Set<LogisticsShipment>();
    public DbSet<LogisticsPackage> LogisticsPackages => Set<LogisticsPackage>();
    public DbSet<BallotReplacementRequest> BallotReplacementRequests => Set<BallotReplacementRequest>();
}
