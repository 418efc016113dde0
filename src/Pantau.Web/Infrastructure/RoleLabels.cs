using Pantau.Core.Security;

namespace Pantau.Web.Infrastructure;

/// <summary>Role names as people read them (Indonesian, English when chosen), and where each role's work starts.</summary>
public static class RoleLabels
{
    public static string Label(this Lang l, Role role) => role switch
    {
        Role.Admin => l.T("Administrator", "Administrator"),
        Role.DeskProvinsi => l.T("Desk Pilkada provinsi", "Provincial election desk"),
        Role.DeskKabKota => l.T("Desk Pilkada kab/kota", "Regency/city election desk"),
        Role.Camat => l.T("Camat", "Sub-district head (camat)"),
        Role.KpuOperator => l.T("Operator KPU", "KPU operator"),
        Role.PpkOperator => l.T("Operator PPK", "PPK operator"),
        Role.PpsOperator => l.T("Operator PPS", "PPS operator"),
        Role.KppsOperator => l.T("Operator KPPS", "KPPS operator"),
        Role.Bawaslu => l.T("Bawaslu", "Bawaslu"),
        Role.Panwascam => l.T("Panwascam", "Panwascam"),
        Role.Police => l.T("Polri", "Police"),
        Role.Army => l.T("TNI", "Armed forces"),
        Role.AgencyOfficer => l.T("Petugas instansi", "Agency officer"),
        _ => l.T("Publik", "Public"),
    };

    /// <summary>A C.Hasil version's status or a TPS's tally state as people read it (the enum name as stored or sent by the API).</summary>
    public static string TallyStatus(this Lang l, string? status) => status switch
    {
        "Accepted" => l.T("diterima", "accepted"),
        "Flagged" => l.T("ditandai", "flagged"),
        "Superseded" => l.T("digantikan", "superseded"),
        "Conflict" => l.T("konflik", "conflict"),
        "Rejected" => l.T("ditolak", "rejected"),
        null => "",
        _ => status,
    };

    /// <summary>
    /// The page a role's work starts on: where sign-in lands (unless a return address is given) and where an error page sends the
    /// user back to. A TPS-bound KPPS account lands on its TPS's entry form; a Desk on the dashboard of its region; Bawaslu on the
    /// results queue. Every landing page is one the role may open (tested for every role).
    /// </summary>
    public static string HomeFor(Actor actor)
    {
        var scope = actor.ScopeCode is { Length: > 0 } s && s != "-" ? s : null;
        string Region(string path) => scope is null ? path : path + "?region=" + Uri.EscapeDataString(scope);
        return actor.Role switch
        {
            Role.KppsOperator when actor.IsTpsScoped => "/hasil/input?tps=" + actor.ScopeCode,
            Role.KppsOperator or Role.PpsOperator or Role.PpkOperator => "/hasil/input",
            Role.KpuOperator => "/hasil/input",
            Role.DeskProvinsi or Role.DeskKabKota => Region("/koordinasi"),
            Role.Bawaslu => "/hasil/antrean",
            Role.Panwascam => "/anomali", // the review queue of the kecamatan's results (Panwascam does not adjudicate sheets)
            Role.Police or Role.Army or Role.Camat or Role.AgencyOfficer => "/insiden",
            Role.Admin => "/admin/pengguna",
            _ => "/",
        };
    }
}
