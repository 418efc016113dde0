using Pantau.Core.Coordination;

namespace Pantau.Web.Coordination;

public sealed record AgencyDto(int Id, string Code, string Name, AgencyKind Kind, string RegionCode, bool IsForkopim, bool IsGenerated, string? Contact, bool IsActive, long Version);
public sealed record AgencyInput(string? Code, string? Name, AgencyKind? Kind, string? RegionCode, bool? IsForkopim, string? Contact, bool? IsActive, long? Version);

public sealed record AgendaInput(string? Title, string? Notes);
public sealed record ParticipantInput(int AgencyId, bool Attended, string? Representative);
public sealed record ActionInput(string? Title, string? Details, int? OwnerAgencyId, string? RegionCode, DateTimeOffset? DueAt, string? TahapanCode, int? TahapanOffsetDays);
public sealed record DecisionInput(string? Text, List<ActionInput>? Actions);
public sealed record MeetingInput(string? Title, string? RegionCode, DateTimeOffset? HeldAt, string? Location, string? Chair, string? Minutes,
    List<AgendaInput>? Agenda, List<ParticipantInput>? Participants, List<DecisionInput>? Decisions);
public sealed record MinutesInput(string? Minutes, List<ParticipantInput>? Participants, long? Version);
public sealed record StatusInput(ActionStatus? Status, string? Note, long? Version);
public sealed record AgreementInput(string? Title, string? RegionCode, DateTimeOffset? SignedAt, string? Scope, List<int>? PartyAgencyIds, List<ActionInput>? Actions);

public sealed record AgendaDto(int Id, int Order, string Title, string? Notes);
public sealed record ParticipantDto(int AgencyId, string AgencyName, bool Attended, string? Representative);
public sealed record DecisionDto(int Id, int Order, string Text, IReadOnlyList<ActionDto> Actions);
public sealed record MeetingSummaryDto(int Id, string Title, string RegionCode, DateTimeOffset HeldAt, string? Location, int Decisions, int Actions, int OpenActions);
public sealed record MeetingDto(int Id, string Title, string RegionCode, DateTimeOffset HeldAt, string? Location, string? Chair, string? Minutes, long Version,
    IReadOnlyList<AgendaDto> Agenda, IReadOnlyList<ParticipantDto> Participants, IReadOnlyList<DecisionDto> Decisions);

public sealed record ActionDto(int Id, string Title, string? Details, int? MeetingId, string? MeetingTitle, int? DecisionId, int? AgreementId,
    int OwnerAgencyId, string OwnerAgencyName, string RegionCode, DateTimeOffset DueAt, string? TahapanCode, int? TahapanOffsetDays,
    ActionStatus Status, string? StatusNote, bool Overdue, DateTimeOffset? EscalatedAt, DateTimeOffset? ClosedAt, long Version)
{
    /// <summary>Link back to where the action came from (its rakor or agreement).</summary>
    public string? SourceHref => MeetingId is { } m ? $"/koordinasi/rakor/{m}" : AgreementId is { } a ? $"/koordinasi/kesepakatan/{a}" : null;
}

public sealed record AgreementDto(int Id, string Title, string RegionCode, DateTimeOffset SignedAt, string Scope, Guid? DocumentFileId,
    IReadOnlyList<AgencyDto> Parties, IReadOnlyList<ActionDto> Actions, long Version);

public sealed record ReportDto(int Id, string RegionCode, string ReportDate, DateTimeOffset GeneratedAt, bool Scheduled, bool HasPdf, string? Error, string XlsxHref, string? PdfHref);
