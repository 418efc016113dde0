using Microsoft.EntityFrameworkCore;
using Pantau.Data.Incidents;

namespace Pantau.Data;

public partial class PantauDbContext
{
    public DbSet<Incident> Incidents => Set<Incident>();
    public DbSet<IncidentEvent> IncidentEvents => Set<IncidentEvent>();
    public DbSet<IncidentEvidence> IncidentEvidence => Set<IncidentEvidence>();
    public DbSet<HoaxClaim> HoaxClaims => Set<HoaxClaim>();
    public DbSet<TpsRawan> TpsRawan => Set<TpsRawan>();
    public DbSet<IkpValue> IkpValues => Set<IkpValue>();
}
