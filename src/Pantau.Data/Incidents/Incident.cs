using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Pantau.Core.Incidents;
using Pantau.Data.Auditing;

namespace Pantau.Data.Incidents;

/// <summary>A report of a security incident, hoax, ASN-neutrality breach ... filed by an officer or a citizen.</summary>
public class Incident
{
    public Guid Id { get; set; }
    /// <summary>Public tracking code given to the reporter (e.g. <c>LP-7K2M9Q</c>).</summary>
    public required string TrackingCode { get; set; }
    /// <summary>SHA-256 of the citizen's secret; only code + secret reveal the status.</summary>
    [Masked(MaskReason.Secret)]
    public string? SecretHash { get; set; }
    public ReportSource Source { get; set; }
    public IncidentCategory Category { get; set; }
    public IncidentStatus Status { get; set; }
    public Severity Severity { get; set; }
    public Urgency Urgency { get; set; }
    /// <summary>Most precise region known (kab/kota, kecamatan or desa).</summary>
    public required string RegionCode { get; set; }
    public required string KabKotaCode { get; set; }
    public string? KecamatanCode { get; set; }
    public string? TpsCode { get; set; }
    /// <summary>The map point of the report; a citizen's point may be their home, so the audit trail does not copy it (public maps round it to ~1 km).</summary>
    [Masked]
    public double? Latitude { get; set; }
    [Masked]
    public double? Longitude { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public DateTimeOffset ReportedAt { get; set; }
    public required string Title { get; set; }
    public required string Description { get; set; }
    /// <summary>Private: shown only to officers whose scope covers the report; never in public views, exports or the audit trail.</summary>
    [Masked]
    public string? ReporterName { get; set; }
    [Masked]
    public string? ReporterContact { get; set; }
    public string? ReporterUserId { get; set; }
    public string? ReporterUserName { get; set; }
    /// <summary>ASN neutrality: the civil servant's agency and position (public in statistics); the name is private.</summary>
    public string? AsnAgency { get; set; }
    public string? AsnPosition { get; set; }
    [Masked]
    public string? AsnName { get; set; }
    public Agency? ReferredTo { get; set; }
    public RejectReason? RejectReason { get; set; }
    public Guid? MergedIntoId { get; set; }
    public Guid? HoaxClaimId { get; set; }
    public DateTimeOffset? VerifiedAt { get; set; }
    public DateTimeOffset? ReferredAt { get; set; }
    public DateTimeOffset? ActionTakenAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    /// <summary>SLA stage already escalated to the Desk (0 none, 1 verification overdue, 2 action overdue).</summary>
    public int EscalatedStage { get; set; }
    public DateTimeOffset? EscalatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public long Version { get; set; }
}

/// <summary>Append-only history of a report: who did what, when. Its own record, so not copied to the audit trail.</summary>
[NotAudited]
public class IncidentEvent
{
    public long Id { get; set; }
    public Guid IncidentId { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Actor { get; set; }
    public required string ActorRole { get; set; }
    public required string Action { get; set; }
    public IncidentStatus? FromStatus { get; set; }
    public IncidentStatus? ToStatus { get; set; }
    public string? Note { get; set; }
}

/// <summary>Evidence (photo/PDF) attached to a report: the file lives in the file store; its hash is kept here too.</summary>
public class IncidentEvidence
{
    public long Id { get; set; }
    public Guid IncidentId { get; set; }
    public Guid FileId { get; set; }
    public required string Sha256 { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public DateTimeOffset AddedAt { get; set; }
}

/// <summary>A claim handled by the hoax desk: reports of the same claim are grouped under it.</summary>
public class HoaxClaim
{
    public Guid Id { get; set; }
    public required string Claim { get; set; }
    public HoaxVerdict Verdict { get; set; }
    public string? Clarification { get; set; }
    public required string RegionCode { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    public string? DecidedBy { get; set; }
    public long Version { get; set; }
}

/// <summary>The eight TPS-rawan variables recorded for one TPS by officers.</summary>
public class TpsRawan
{
    public required string TpsCode { get; set; }
    public required string KecamatanCode { get; set; }
    public required string KabKotaCode { get; set; }
    public bool VotingRights { get; set; }
    public bool Security { get; set; }
    public bool MoneyPolitics { get; set; }
    public bool SaraHateSpeech { get; set; }
    public bool Neutrality { get; set; }
    public bool Logistics { get; set; }
    public bool TpsLocation { get; set; }
    public bool ElectricityInternet { get; set; }
    public string? Note { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
    public long Version { get; set; }

    public IEnumerable<TpsRawanVariable> Flags()
    {
        if (VotingRights) yield return TpsRawanVariable.VotingRights;
        if (Security) yield return TpsRawanVariable.Security;
        if (MoneyPolitics) yield return TpsRawanVariable.MoneyPolitics;
        if (SaraHateSpeech) yield return TpsRawanVariable.SaraHateSpeech;
        if (Neutrality) yield return TpsRawanVariable.Neutrality;
        if (Logistics) yield return TpsRawanVariable.Logistics;
        if (TpsLocation) yield return TpsRawanVariable.TpsLocation;
        if (ElectricityInternet) yield return TpsRawanVariable.ElectricityInternet;
    }

    public void Set(IReadOnlySet<TpsRawanVariable> on)
    {
        VotingRights = on.Contains(TpsRawanVariable.VotingRights);
        Security = on.Contains(TpsRawanVariable.Security);
        MoneyPolitics = on.Contains(TpsRawanVariable.MoneyPolitics);
        SaraHateSpeech = on.Contains(TpsRawanVariable.SaraHateSpeech);
        Neutrality = on.Contains(TpsRawanVariable.Neutrality);
        Logistics = on.Contains(TpsRawanVariable.Logistics);
        TpsLocation = on.Contains(TpsRawanVariable.TpsLocation);
        ElectricityInternet = on.Contains(TpsRawanVariable.ElectricityInternet);
    }
}

internal sealed class IncidentConfiguration : IEntityTypeConfiguration<Incident>
{
    public void Configure(EntityTypeBuilder<Incident> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.TrackingCode).HasMaxLength(16);
        b.HasIndex(x => x.TrackingCode).IsUnique();
        b.Property(x => x.SecretHash).HasMaxLength(64);
        b.Property(x => x.RegionCode).HasMaxLength(13);
        b.Property(x => x.KabKotaCode).HasMaxLength(5);
        b.Property(x => x.KecamatanCode).HasMaxLength(8);
        b.Property(x => x.TpsCode).HasMaxLength(13);
        b.Property(x => x.Title).HasMaxLength(200);
        b.Property(x => x.Description).HasMaxLength(Pantau.Core.Text.TextRules.Details);
        b.Property(x => x.ReporterName).HasMaxLength(120);
        b.Property(x => x.ReporterContact).HasMaxLength(120);
        b.Property(x => x.ReporterUserId).HasMaxLength(64);
        b.Property(x => x.ReporterUserName).HasMaxLength(256);
        b.Property(x => x.AsnAgency).HasMaxLength(200);
        b.Property(x => x.AsnPosition).HasMaxLength(200);
        b.Property(x => x.AsnName).HasMaxLength(120);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => x.RegionCode);
        b.HasIndex(x => x.KabKotaCode);
        b.HasIndex(x => x.Status);
        b.HasIndex(x => x.HoaxClaimId);
    }
}

internal sealed class IncidentEventConfiguration : IEntityTypeConfiguration<IncidentEvent>
{
    public void Configure(EntityTypeBuilder<IncidentEvent> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Actor).HasMaxLength(256);
        b.Property(x => x.ActorRole).HasMaxLength(32);
        b.Property(x => x.Action).HasMaxLength(32);
        b.Property(x => x.Note).HasMaxLength(2000);
        b.HasIndex(x => x.IncidentId);
    }
}

internal sealed class IncidentEvidenceConfiguration : IEntityTypeConfiguration<IncidentEvidence>
{
    public void Configure(EntityTypeBuilder<IncidentEvidence> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Sha256).HasMaxLength(64);
        b.Property(x => x.FileName).HasMaxLength(200);
        b.Property(x => x.ContentType).HasMaxLength(100);
        b.HasIndex(x => x.IncidentId);
    }
}

internal sealed class HoaxClaimConfiguration : IEntityTypeConfiguration<HoaxClaim>
{
    public void Configure(EntityTypeBuilder<HoaxClaim> b)
    {
        b.HasKey(x => x.Id);
        b.Property(x => x.Claim).HasMaxLength(500);
        b.Property(x => x.Clarification).HasMaxLength(Pantau.Core.Text.TextRules.Details);
        b.Property(x => x.RegionCode).HasMaxLength(13);
        b.Property(x => x.DecidedBy).HasMaxLength(256);
        b.Property(x => x.Version).IsConcurrencyToken();
    }
}

internal sealed class TpsRawanConfiguration : IEntityTypeConfiguration<TpsRawan>
{
    public void Configure(EntityTypeBuilder<TpsRawan> b)
    {
        b.HasKey(x => x.TpsCode);
        b.Property(x => x.TpsCode).HasMaxLength(13);
        b.Property(x => x.KecamatanCode).HasMaxLength(8);
        b.Property(x => x.KabKotaCode).HasMaxLength(5);
        b.Property(x => x.Note).HasMaxLength(1000);
        b.Property(x => x.UpdatedBy).HasMaxLength(256);
        b.Property(x => x.Version).IsConcurrencyToken();
        b.HasIndex(x => x.KecamatanCode);
        b.HasIndex(x => x.KabKotaCode);
    }
}
