using Microsoft.EntityFrameworkCore;
using Pantau.Data.Coordination;

namespace Pantau.Data;

public partial class PantauDbContext
{
    public DbSet<Agency> Agencies => Set<Agency>();
    public DbSet<Meeting> Meetings => Set<Meeting>();
    public DbSet<AgendaItem> AgendaItems => Set<AgendaItem>();
    public DbSet<MeetingParticipant> MeetingParticipants => Set<MeetingParticipant>();
    public DbSet<Decision> Decisions => Set<Decision>();
    public DbSet<Agreement> Agreements => Set<Agreement>();
    public DbSet<AgreementParty> AgreementParties => Set<AgreementParty>();
    public DbSet<FollowUpAction> FollowUpActions => Set<FollowUpAction>();
    public DbSet<SituationReport> SituationReports => Set<SituationReport>();
}
