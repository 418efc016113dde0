using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Incidents;
using Pantau.Data.Auditing;
using Agency = Pantau.Data.Coordination.Agency;
using Pantau.Data.Identity;
using Pantau.Data.Incidents;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;

namespace Pantau.Data.Tests;

/// <summary>The audit trail records that personal data and secrets were given or changed, never their values.</summary>
public class AuditMaskingTests
{
    public static TheoryData<DatabaseProvider> Providers => TestDatabase.AllProviders;

    private static Dictionary<string, JsonElement> Props(string? json) =>
        JsonDocument.Parse(json!).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());

    private static void AssertMasked(Dictionary<string, JsonElement> snapshot, params string[] names)
    {
        foreach (var n in names) Assert.Equal(MaskedAttribute.Placeholder, snapshot[n].GetString());
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Incident_reporter_ASN_name_location_and_secret_are_masked_on_insert_update_and_delete(DatabaseProvider provider)
    {
        await using var tdb = await TestDatabase.CreateAsync(provider);
        var id = Guid.NewGuid();
        var secretHash = new string('c', 64);
        await using (var db = tdb.NewContext())
        {
            var now = DateTimeOffset.UtcNow;
            db.Incidents.Add(new Incident
            {
                Id = id, TrackingCode = "LP-MASK0001", SecretHash = secretHash, Source = ReportSource.Citizen, Category = IncidentCategory.AsnNeutrality,
                Status = IncidentStatus.New, Severity = Severity.Medium, Urgency = Urgency.Normal, RegionCode = "16.71.01", KabKotaCode = "16.71",
                Latitude = -2.976123, Longitude = 104.775432, OccurredAt = now, ReportedAt = now, Title = "Kepala dinas ikut kampanye",
                Description = "Terlihat di panggung kampanye paslon pada jam kerja.", ReporterName = "Siti Warga", ReporterContact = "0812-3456-7890",
                AsnAgency = "Dinas Pendidikan", AsnPosition = "Kepala Dinas", AsnName = "Drs. Bambang Contoh", UpdatedAt = now, Version = 1,
            });
            await db.SaveChangesAsync();
        }
        await using (var db = tdb.NewContext())
        {
            var i = await db.Incidents.SingleAsync(x => x.Id == id);
            i.ReporterContact = "siti@example.org";
            i.Status = IncidentStatus.Verified;
            await db.SaveChangesAsync();
            i.ReporterName = null;
            await db.SaveChangesAsync();
            db.Incidents.Remove(i);
            await db.SaveChangesAsync();
        }
        await using (var db = tdb.NewContext())
        {
            var rows = await db.AuditEntries.Where(a => a.EntityType == nameof(Incident) && a.EntityKey == id.ToString()).OrderBy(a => a.Id).ToListAsync();
            Assert.Equal(["Added", "Modified", "Modified", "Deleted"], rows.Select(r => r.Action));
            var all = string.Join("\n", rows.Select(r => r.Before + r.After));
            foreach (var value in new[] { "Siti", "0812", "siti@example.org", "Bambang", "2.976", "104.77", secretHash })
                Assert.DoesNotContain(value, all);

            var added = Props(rows[0].After);
            AssertMasked(added, nameof(Incident.ReporterName), nameof(Incident.ReporterContact), nameof(Incident.AsnName), nameof(Incident.SecretHash),
                nameof(Incident.Latitude), nameof(Incident.Longitude));
            // What is not personal stays readable, and an absent value stays visibly absent.
            Assert.Equal("Dinas Pendidikan", added[nameof(Incident.AsnAgency)].GetString());
            Assert.Equal("Kepala dinas ikut kampanye", added[nameof(Incident.Title)].GetString());
            Assert.Equal(JsonValueKind.Null, added[nameof(Incident.ReporterUserName)].ValueKind);

            // A change shows that the field changed (and nothing about unchanged masked fields).
            var (before, after) = (Props(rows[1].Before), Props(rows[1].After));
            AssertMasked(before, nameof(Incident.ReporterContact));
            AssertMasked(after, nameof(Incident.ReporterContact));
            Assert.True(after.ContainsKey(nameof(Incident.Status)));
            Assert.False(after.ContainsKey(nameof(Incident.ReporterName)));
            Assert.False(after.ContainsKey(nameof(Incident.AsnName)));
            // Clearing a masked field shows as *** → null.
            AssertMasked(Props(rows[2].Before), nameof(Incident.ReporterName));
            Assert.Equal(JsonValueKind.Null, Props(rows[2].After)[nameof(Incident.ReporterName)].ValueKind);
            AssertMasked(Props(rows[3].Before), nameof(Incident.ReporterContact), nameof(Incident.AsnName), nameof(Incident.SecretHash));
        }
    }

    [Theory, MemberData(nameof(Providers))]
    public async Task Account_e_mail_phone_and_credentials_and_agency_contacts_are_masked(DatabaseProvider provider)
    {
        await using var tdb = await TestDatabase.CreateAsync(provider);
        await using (var db = tdb.NewContext())
        {
            db.Users.Add(new PantauUser
            {
                UserName = "pps-mask", NormalizedUserName = "PPS-MASK", Email = "pps@example.org", NormalizedEmail = "PPS@EXAMPLE.ORG", PhoneNumber = "0813-0000-1111",
                PasswordHash = "AQAAAAIAAYagAAAAEsecret", SecurityStamp = "STAMP-SECRET", DisplayName = "Operator PPS", ScopeCode = "16.71.01.1001",
            });
            db.Agencies.Add(new Agency { Code = "16.71:MASK", Name = "Polrestabes Palembang", RegionCode = "16.71", Contact = "0711-123456 / kapolres@example.org", Version = 1 });
            await db.SaveChangesAsync();
        }
        await using (var db = tdb.NewContext())
        {
            var user = Props((await db.AuditEntries.SingleAsync(a => a.EntityType == nameof(PantauUser))).After);
            AssertMasked(user, nameof(PantauUser.Email), nameof(PantauUser.NormalizedEmail), nameof(PantauUser.PhoneNumber),
                nameof(PantauUser.PasswordHash), nameof(PantauUser.SecurityStamp));
            Assert.Equal("pps-mask", user[nameof(PantauUser.UserName)].GetString()); // who the account is stays on record
            var agency = await db.AuditEntries.SingleAsync(a => a.EntityType == nameof(Agency));
            AssertMasked(Props(agency.After), nameof(Agency.Contact));
            Assert.Contains("Polrestabes Palembang", agency.After);
            Assert.DoesNotContain("0711", agency.After);
        }
    }

    /// <summary>A guard for entities added later: a field whose name says contact, e-mail, phone, reporter, secret, password or token is masked.</summary>
    [Fact]
    public async Task Every_field_named_like_personal_data_or_a_secret_is_masked()
    {
        await using var tdb = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite, seeded: false);
        await using var db = tdb.NewContext();
        var pattern = new Regex("contact|e?mail|phone|reportername|asnname|secret|password|tokenhash|securitystamp", RegexOptions.IgnoreCase);
        var checkedFields = new List<string>();
        var unmasked = new List<string>();
        foreach (var entity in db.Model.GetEntityTypes().Where(t => !Attribute.IsDefined(t.ClrType, typeof(NotAuditedAttribute))))
            foreach (var p in entity.GetProperties().Where(p => p.ClrType != typeof(bool) && pattern.IsMatch(p.Name)))
            {
                checkedFields.Add($"{entity.ClrType.Name}.{p.Name}");
                if (PantauDbContext.MaskOf(entity.ClrType, p.Name) is null) unmasked.Add($"{entity.ClrType.Name}.{p.Name}");
            }
        Assert.Contains("Incident.ReporterContact", checkedFields);
        Assert.Contains("PantauUser.Email", checkedFields);
        Assert.True(unmasked.Count == 0, "mark with [Masked] (Pantau.Data.Auditing): " + string.Join(", ", unmasked));
        Assert.Equal(MaskReason.Secret, PantauDbContext.MaskOf(typeof(ApiToken), nameof(ApiToken.TokenHash)));
        Assert.Null(PantauDbContext.MaskOf(typeof(Incident), nameof(Incident.ReporterUserName))); // an officer acting in office
    }
}
