using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Readiness;
using Pantau.Core.Regions;
using Pantau.Core.Security;
using Pantau.Data;
using Pantau.Data.Readiness;

namespace Pantau.Web.Readiness;

public sealed record ShipmentInput(string? From, string? To);
public sealed record PackageView(string Code, string ItemKey, string TpsCode, CustodyLevel HolderLevel, string HolderCode, string ShipmentCode,
    IReadOnlyDictionary<string, long> Contents);
public sealed record ShipmentView(string Code, CustodyLevel FromLevel, string FromCode, CustodyLevel ToLevel, string ToCode, DateTimeOffset CreatedAt,
    string CreatedBy, DateTimeOffset? ReceivedAt, IReadOnlyList<PackageView> Packages);
/// <summary>The answer to one scan: the label read, whether it may be received in this shipment, and if not why (id / en).</summary>
public sealed record ScanView(string Scanned, string? Code, bool Accepted, string? RefusalCode, string? MessageId, string? MessageEn, PackageView? Package);

/// <summary>
/// QR-labelled logistics: shipments (one leg of the chain) of labelled packages, their printable label sheet, and the check of each scanned
/// label against the shipment and the step of its chain (<see cref="LogisticsLabels.Check"/>). A handover of a shipment
/// (<see cref="LogisticsService.RecordHandoverAsync"/>) counts what was scanned as received.
/// </summary>
public sealed class LogisticsLabelService(PantauDbContext db, ReadinessService readiness, TimeProvider time)
{
    public static PackageView ToView(LogisticsPackage p) => new(p.Code, p.ItemKey, p.TpsCode, p.HolderLevel, p.HolderCode, p.ShipmentCode,
        LogisticsLabels.ParseContents(p.Contents));

    public static LogisticsLabel ToLabel(LogisticsPackage p) => new(p.Code, LabelKind.Package, p.ShipmentCode, p.ItemKey, 1,
        new CustodyNode(CustodyLevel.Kpps, p.TpsCode), new CustodyNode(p.HolderLevel, p.HolderCode));

    /// <summary>
    /// Creates the next shipment from a holder to the one beneath it. From the warehouse it labels every package of every TPS beneath the
    /// receiver that has none yet (one ballot box per contest and one packet of shared supplies) and takes those the warehouse still holds;
    /// further down it takes every package the sender holds that is bound through the receiver and that is in no open shipment of its.
    /// </summary>
    public async Task<(ShipmentView? View, Failure? Error)> CreateAsync(Actor actor, ShipmentInput input, CancellationToken ct = default)
    {
        // Scope first: the sender must lie in the actor's region (the one who packs and sends it prints the labels).
        if (CustodyNode.TryParse(input.From, out var from) && !actor.Covers(from.Code)) return (null, Failure.Forbidden(from.RegionCode));
        var tree = await readiness.TreeAsync(ct);
        var errors = new Dictionary<string, string[]>();
        var (sender, receiver) = LogisticsService.Step(tree, input.From, input.To, (field, msg) => errors[field] = [msg]);
        if (errors.Count > 0) return (null, Failure.Invalid(errors));
        from = sender!;
        var to = receiver!;

        var now = time.GetUtcNow();
        var n = await db.LogisticsShipments.CountAsync(s => s.ToCode == to.Code, ct);
        var shipment = new LogisticsShipment
        {
            Code = LogisticsLabels.ShipmentCode(to.Code, n + 1), FromLevel = from!.Level, FromCode = from.Code, ToLevel = to.Level, ToCode = to.Code,
            ToRegionCode = to.RegionCode, KabKotaCode = RegionCode.AncestorAt(to.RegionCode, RegionLevel.KabKota), CreatedAt = now, CreatedBy = actor.UserName,
        };
        var held = await HeldAsync(from, to, ct);
        if (from.Level == CustodyLevel.Warehouse)
        {
            var known = new HashSet<string>(await db.LogisticsPackages.AsNoTracking()
                .Where(p => p.KabKotaCode == shipment.KabKotaCode && (p.DesaCode == to.RegionCode || p.DesaCode.StartsWith(to.RegionCode + ".")))
                .Select(p => p.Code).ToListAsync(ct), StringComparer.Ordinal);
            foreach (var t in tree.TpsWithin(to.Level == CustodyLevel.Kpps ? to.Code : to.RegionCode))
                foreach (var spec in LogisticsLabels.Pack(t.Dpt, tree.ContestsAt(t.DesaCode)))
                {
                    var code = LogisticsLabels.PackageCode(t.Code, spec.Suffix);
                    if (!known.Add(code)) continue;
                    var p = new LogisticsPackage
                    {
                        Code = code, KabKotaCode = shipment.KabKotaCode, ItemKey = spec.ItemKey, Contents = LogisticsLabels.FormatContents(spec.Contents),
                        TpsCode = t.Code, DesaCode = t.DesaCode, HolderLevel = from.Level, HolderCode = from.Code, ShipmentCode = shipment.Code, CreatedAt = now,
                    };
                    db.LogisticsPackages.Add(p);
                    held.Add(p);
                }
        }
        if (held.Count == 0)
            return (null, new Failure(409, "Tidak ada yang dikirim / nothing to ship",
                $"{CustodyChain.Name(from.Level)} {from.Code} tidak memegang paket berlabel untuk {to.Code} / {from.Code} holds no labelled package bound for {to.Code}."));
        foreach (var p in held) { if (p.ShipmentCode != shipment.Code) { p.ShipmentCode = shipment.Code; p.Version++; } }
        db.LogisticsShipments.Add(shipment);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) // another shipment to the same holder, or of the same packages, was created at the same moment
        {
            return (null, new Failure(409, "Bentrok / conflict", "Pengiriman lain baru saja dibuat; muat ulang dan coba lagi / another shipment was just created; reload and try again."));
        }
        return (View(shipment, held), null);
    }

    /// <summary>The packages <paramref name="from"/> holds that are bound through <paramref name="to"/> (tracked, for update).</summary>
    private async Task<List<LogisticsPackage>> HeldAsync(CustodyNode from, CustodyNode to, CancellationToken ct)
    {
        // A package already in a shipment of this sender that is not yet received stays in it (no box is in two open shipments).
        var open = db.LogisticsShipments.Where(s => s.FromCode == from.Code && s.FromLevel == from.Level && s.ReceivedAt == null).Select(s => s.Code);
        var q = db.LogisticsPackages.Where(p => p.HolderLevel == from.Level && p.HolderCode == from.Code && !open.Contains(p.ShipmentCode));
        q = to.Level == CustodyLevel.Kpps ? q.Where(p => p.TpsCode == to.Code)
            : q.Where(p => p.DesaCode == to.RegionCode || p.DesaCode.StartsWith(to.RegionCode + "."));
        return await q.OrderBy(p => p.Code).ToListAsync(ct);
    }

    private static ShipmentView View(LogisticsShipment s, IEnumerable<LogisticsPackage> packages) => new(s.Code, s.FromLevel, s.FromCode, s.ToLevel, s.ToCode,
        s.CreatedAt, s.CreatedBy, s.ReceivedAt, packages.OrderBy(p => p.Code, StringComparer.Ordinal).Select(ToView).ToList());

    /// <summary>A shipment with its packages, or null; <paramref name="actor"/> must cover its sender or its receiver (else Forbidden).</summary>
    public async Task<(ShipmentView? View, Failure? Error)> GetAsync(Actor actor, string code, CancellationToken ct = default)
    {
        var s = await db.LogisticsShipments.AsNoTracking().FirstOrDefaultAsync(x => x.Code == code, ct);
        if (s is null) return (null, Failure.NotFound($"Pengiriman {code} tidak ditemukan / shipment {code} not found."));
        if (!actor.Covers(s.FromCode) && !actor.Covers(s.ToCode)) return (null, Failure.Forbidden(s.ToRegionCode));
        var packages = await db.LogisticsPackages.AsNoTracking().Where(p => p.ShipmentCode == code).ToListAsync(ct);
        return (View(s, packages), null);
    }

    public async Task<List<ShipmentView>> ListAsync(string region, int limit, CancellationToken ct = default)
    {
        var prefix = region + ".";
        var list = await db.LogisticsShipments.AsNoTracking()
            .Where(s => s.ToRegionCode == region || s.ToRegionCode.StartsWith(prefix) || s.FromCode == region)
            .OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).Take(limit).ToListAsync(ct);
        return list.Select(s => View(s, [])).ToList();
    }

    /// <summary>Checks one scanned label against a shipment (for the phone's immediate answer; the handover checks again when saved).</summary>
    public async Task<(ScanView? View, Failure? Error)> ScanAsync(Actor actor, string? shipmentCode, string? scanned, IReadOnlyCollection<string>? already, CancellationToken ct = default)
    {
        var (shipment, error) = await GetAsync(actor, shipmentCode ?? "", ct);
        if (error is not null) return (null, error);
        var labels = already?.Select(a => LogisticsLabels.TryParse(a, out var c) ? c : a).ToHashSet(StringComparer.Ordinal) ?? [];
        return (await CheckAsync(shipment!, scanned ?? "", labels, ct), null);
    }

    internal async Task<ScanView> CheckAsync(ShipmentView shipment, string scanned, IReadOnlySet<string> already, CancellationToken ct)
    {
        if (!LogisticsLabels.TryParse(scanned, out var code))
            return new(scanned, null, false, "label-unreadable", $"'{Shorten(scanned)}' bukan label logistik Pantau.", $"'{Shorten(scanned)}' is not a Pantau logistics label.", null);
        var p = await db.LogisticsPackages.AsNoTracking().FirstOrDefaultAsync(x => x.Code == code, ct);
        var refusal = LogisticsLabels.Check(p is null ? null : ToLabel(p), code, shipment.Code,
            new CustodyNode(shipment.FromLevel, shipment.FromCode), new CustodyNode(shipment.ToLevel, shipment.ToCode), already);
        return new(scanned, code, refusal is null, refusal?.Code, refusal?.MessageId, refusal?.MessageEn, p is null ? null : ToView(p));
    }

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";

    /// <summary>
    /// For a berita acara of <paramref name="shipmentCode"/>: the shipment (tracked), its packages, the lines (sent: everything the shipment
    /// carries; received: what was scanned; damaged: as declared) and a refusal per label that may not be received.
    /// </summary>
    internal async Task<(LogisticsShipment? Shipment, List<LogisticsPackage> Received, List<HandoverLineInput> Lines, Dictionary<string, string[]> Errors)> ReceiveAsync(
        string shipmentCode, IReadOnlyList<string> scanned, IReadOnlyList<HandoverLineInput> declared, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var s = await db.LogisticsShipments.FirstOrDefaultAsync(x => x.Code == shipmentCode, ct);
        if (s is null) { errors["shipment"] = [$"Pengiriman {shipmentCode} tidak ditemukan / shipment {shipmentCode} not found."]; return (null, [], [], errors); }
        if (s.ReceivedAt is not null)
        {
            errors["shipment"] = [$"Pengiriman {s.Code} sudah diterima dengan berita acara lain / shipment {s.Code} was already received."];
            return (s, [], [], errors);
        }
        var packages = await db.LogisticsPackages.Where(p => p.ShipmentCode == s.Code).ToListAsync(ct);
        var byCode = packages.ToDictionary(p => p.Code, StringComparer.Ordinal);
        var from = new CustodyNode(s.FromLevel, s.FromCode);
        var to = new CustodyNode(s.ToLevel, s.ToCode);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var received = new List<LogisticsPackage>();
        for (var i = 0; i < scanned.Count; i++)
        {
            LabelRefusal? refusal;
            if (!LogisticsLabels.TryParse(scanned[i], out var code)) refusal = new("label-unreadable", $"'{Shorten(scanned[i])}' bukan label logistik Pantau.", $"'{Shorten(scanned[i])}' is not a Pantau logistics label.");
            else
            {
                var p = byCode.GetValueOrDefault(code) ?? await db.LogisticsPackages.AsNoTracking().FirstOrDefaultAsync(x => x.Code == code, ct);
                refusal = LogisticsLabels.Check(p is null ? null : ToLabel(p), code, s.Code, from, to, seen);
                if (refusal is null) { seen.Add(code); received.Add(byCode[code]); }
            }
            if (refusal is not null) errors[$"labels[{i}]"] = [$"{refusal.MessageId} / {refusal.MessageEn}"];
        }
        if (scanned.Count == 0) errors["labels"] = ["Pindai minimal satu label / scan at least one label."];
        static Dictionary<string, long> Sum(IEnumerable<LogisticsPackage> ps)
        {
            var d = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var p in ps) foreach (var (k, v) in LogisticsLabels.ParseContents(p.Contents)) d[k] = d.GetValueOrDefault(k) + v;
            return d;
        }
        var sent = Sum(packages);
        var got = Sum(received);
        var damaged = declared.Where(l => l.Item is not null).GroupBy(l => l.Item!).ToDictionary(g => g.Key, g => g.Sum(l => l.Damaged));
        foreach (var item in damaged.Keys.Where(k => !sent.ContainsKey(k))) errors["lines"] = [$"Barang {item} tidak ada dalam pengiriman {s.Code} / item {item} is not in shipment {s.Code}."];
        var lines = sent.OrderBy(k => k.Key, StringComparer.Ordinal)
            .Select(k => new HandoverLineInput(k.Key, k.Value, got.GetValueOrDefault(k.Key), damaged.GetValueOrDefault(k.Key))).ToList();
        return (s, received, lines, errors);
    }

    /// <summary>The printable label sheet of a shipment (A4, 3 × 7 labels a page; the shipment's own label first), as HTML for Chromium's print-to-PDF.</summary>
    public static string LabelSheetHtml(ShipmentView s, RegionTree tree, bool english)
    {
        string T(string id, string en) => WebUtility.HtmlEncode(english ? en : id);
        string Place(string tps) => tree.Tps.TryGetValue(tps, out var t) && tree.Regions.TryGetValue(t.DesaCode, out var d)
            ? $"TPS {t.Number:000} {d.Name}" : tps;
        string Holder(CustodyLevel l, string code) => $"{CustodyChain.Name(l)} {(tree.Regions.TryGetValue(code, out var r) ? r.Name : code)}";
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"").Append(english ? "en" : "id").Append("\"><head><meta charset=\"utf-8\"><title>")
            .Append(T("Label pengiriman ", "Shipment labels ")).Append(WebUtility.HtmlEncode(s.Code)).Append("</title><style>")
            .Append("@page{size:A4;margin:8mm}body{font-family:'DejaVu Sans',sans-serif;margin:0}")
            .Append(".sheet{display:grid;grid-template-columns:repeat(3,1fr);gap:2mm}")
            .Append(".label{border:0.3mm dashed #555;height:38mm;padding:2mm;break-inside:avoid;font-size:8.5pt;overflow:hidden}")
            .Append(".top{display:flex;gap:2mm}.label svg{width:29mm;height:29mm;flex:none}")
            .Append(".code{font-family:'DejaVu Sans Mono',monospace;font-weight:bold;font-size:7.5pt;white-space:nowrap;margin-top:1mm}")
            .Append(".ship{background:#eee}.k{color:#444}</style></head><body><div class=\"sheet\">");
        void Label(string code, string cls, string title, string line2, string line3)
        {
            html.Append("<div class=\"label ").Append(cls).Append("\"><div class=\"top\">").Append(Pantau.Web.Infrastructure.QrCodes.Svg(LogisticsLabels.Payload(code)))
                .Append("<div><div><b>").Append(title).Append("</b></div><div>").Append(line2).Append("</div><div class=\"k\">").Append(line3)
                .Append("</div></div></div><div class=\"code\">").Append(WebUtility.HtmlEncode(code)).Append("</div></div>");
        }
        Label(s.Code, "ship", T("Pengiriman", "Shipment"), WebUtility.HtmlEncode(Holder(s.FromLevel, s.FromCode)) + " →",
            WebUtility.HtmlEncode(Holder(s.ToLevel, s.ToCode)) + " · " + s.Packages.Count + T(" paket", " packages"));
        foreach (var p in s.Packages)
        {
            var kind = LogisticsRules.Kind(p.ItemKey);
            var contest = p.ItemKey.Contains(':') ? " " + p.ItemKey[(p.ItemKey.IndexOf(':') + 1)..] : "";
            var name = kind is null ? T("Perlengkapan TPS", "TPS supplies") : T(kind.NameId, kind.NameEn) + WebUtility.HtmlEncode(contest);
            Label(p.Code, "", name, WebUtility.HtmlEncode(Place(p.TpsCode)), T("Pengiriman ", "Shipment ") + WebUtility.HtmlEncode(s.Code));
        }
        return html.Append("</div></body></html>").ToString();
    }
}
