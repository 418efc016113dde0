using Microsoft.EntityFrameworkCore;
using Pantau.Core.Readiness;
using Pantau.Core.Regions;
using Pantau.Core.Security;
using Pantau.Data;
using Pantau.Data.Readiness;

namespace Pantau.Web.Readiness;

/// <summary>A rejected request: status code, title and a readable message (id / en), optionally per-field errors.</summary>
public sealed record Failure(int Status, string Title, string Detail, Dictionary<string, string[]>? Errors = null)
{
    public static Failure Bad(string title, string detail) => new(400, title, detail);
    public static Failure Invalid(Dictionary<string, string[]> errors) => new(400, "Input tidak valid / invalid input", string.Join(" ", errors.SelectMany(e => e.Value)), errors);
    public static Failure Forbidden(string code) => new(403, "Di luar wilayah / out of scope",
        $"Wilayah {code} di luar cakupan akun Anda / region {code} is outside your scope.");
    public static Failure NotFound(string what) => new(404, "Tidak ditemukan / not found", what);
}

public sealed record HandoverLineInput(string? Item, long Sent, long Received, long Damaged);
public sealed record HandoverInput(string? From, string? To, DateTimeOffset? HandedOverAt, string? HandedOverBy, string? ReceivedBy,
    string? EscortedBy, string? Note, List<HandoverLineInput>? Lines, string? Shipment = null, List<string>? Labels = null, string? SubmissionKey = null);
public sealed record HandoverView(long Id, CustodyLevel FromLevel, string FromCode, CustodyLevel ToLevel, string ToCode, DateTimeOffset HandedOverAt,
    string HandedOverBy, string ReceivedBy, string? EscortedBy, string? Note, Guid? PhotoFileId, string RecordedBy, IReadOnlyList<HandoverLineInput> Lines,
    IReadOnlyList<Discrepancy> Discrepancies, DateTimeOffset? VoidedAt = null, string? VoidedBy = null, string? VoidReason = null);
/// <summary>A recorded berita acara, or the one an earlier submission with the same key recorded (<see cref="Replayed"/>), or why it was refused.</summary>
public sealed record HandoverOutcome(HandoverView? View, Failure? Error, bool Replayed = false);
public sealed record RequirementRow(string Code, string Name, int Tps, long Dpt, IReadOnlyDictionary<string, long> Items);
public sealed record RequirementsView(string RegionCode, string Name, int Tps, long Dpt, IReadOnlyDictionary<string, long> Total, IReadOnlyList<RequirementRow> Children);
public sealed record StockRow(string ItemKey, long Stock, long Required, long Shortfall);
public sealed record ReplacementInput(string? Holder, string? Contest, long Quantity, string? Reason);
public sealed record ReplacementView(long Id, string HolderCode, string ContestCode, long Quantity, string Reason, ReplacementStatus Status,
    DateTimeOffset RequestedAt, string RequestedBy, DateTimeOffset? DecidedAt, string? DecidedBy, long Version);

/// <summary>Logistics: requirements from DPT, warehouse stock, handovers down the chain, discrepancies and replacement requests.</summary>
public sealed class LogisticsService(PantauDbContext db, ReadinessService readiness, LogisticsLabelService labels, TimeProvider time, Elections.ElectionCatalog elections)
{
    /// <summary>
    /// When logistics may move for a receiver in <paramref name="region"/>: the window of the election that concerns it (the current one
    /// for the region, docs/elections.md), from its schedule template placed on its voting day; the 2024 window without any election.
    /// </summary>
    private async Task<(DateOnly Start, DateOnly VotingDay)> LogisticsWindowAsync(string? region)
    {
        var election = await elections.ResolveAsync(null, default, region);
        if (election is null) return (Schedule.LogisticsStart, Schedule.VotingDay);
        var stages = ScheduleTemplate.ForKind(Data.Elections.Election.KindText(election.Kind)).Instantiate(election.VotingDate);
        return ScheduleTemplate.LogisticsWindow(stages, election.VotingDate);
    }

    public async Task<RequirementsView?> RequirementsAsync(string code, CancellationToken ct = default)
    {
        var tree = await readiness.TreeAsync(ct);
        if (!tree.Regions.TryGetValue(code, out var region)) return null;
        Dictionary<string, long> Need(IEnumerable<TreeTps> tps) => LogisticsRules.Sum(tps.Select(t => (t.Dpt, tree.ContestsAt(t.DesaCode))));
        var children = region.Level == RegionLevel.Desa
            ? tree.TpsOf(code).Select(t => new RequirementRow(t.Code, $"TPS {t.Number:000}", 1, t.Dpt, Need([t]))).ToList()
            : tree.ChildrenOf(code).Select(c =>
            {
                var tps = tree.TpsWithin(c.Code).ToList();
                return new RequirementRow(c.Code, c.Name, tps.Count, tps.Sum(t => (long)t.Dpt), Need(tps));
            }).ToList();
        var total = new Dictionary<string, long>();
        foreach (var row in children) foreach (var (k, v) in row.Items) total[k] = total.GetValueOrDefault(k) + v;
        return new RequirementsView(code, region.Name, children.Sum(c => c.Tps), children.Sum(c => c.Dpt), total, children);
    }

    public async Task<List<StockRow>?> StockAsync(string kabKota, CancellationToken ct = default)
    {
        var req = await RequirementsAsync(kabKota, ct);
        if (req is null) return null;
        var stock = await db.WarehouseStocks.AsNoTracking().Where(s => s.KabKotaCode == kabKota).ToDictionaryAsync(s => s.ItemKey, s => s.Quantity, ct);
        return req.Total.Keys.Union(stock.Keys).OrderBy(k => k, StringComparer.Ordinal)
            .Select(k => new StockRow(k, stock.GetValueOrDefault(k), req.Total.GetValueOrDefault(k), Math.Max(0, req.Total.GetValueOrDefault(k) - stock.GetValueOrDefault(k))))
            .ToList();
    }

    public async Task<Failure?> SetStockAsync(Actor actor, string kabKota, Dictionary<string, long>? items, CancellationToken ct = default)
    {
        var tree = await readiness.TreeAsync(ct);
        if (!RegionCode.TryGetLevel(kabKota, out var level) || level != RegionLevel.KabKota || !tree.Regions.ContainsKey(kabKota))
            return Failure.Bad("Gudang tidak dikenal / unknown warehouse", $"'{kabKota}' bukan kab/kota yang dikenal; gudang KPU ada per kab/kota / not a known kab/kota.");
        if (!actor.Covers(kabKota)) return Failure.Forbidden(kabKota);
        var errors = new Dictionary<string, string[]>();
        if (items is null || items.Count == 0) errors["items"] = ["Isi minimal satu barang / give at least one item."];
        var contests = tree.ContestsAt(kabKota);
        foreach (var (k, v) in items ?? [])
        {
            if (!LogisticsRules.IsValidKey(k, contests)) errors[$"items.{k}"] = [$"Barang '{k}' tidak dikenal untuk {kabKota} / unknown item."];
            else if (v < 0) errors[$"items.{k}"] = [$"Jumlah {k} tidak boleh negatif / count must not be negative."];
        }
        if (errors.Count > 0) return Failure.Invalid(errors);
        var existing = await db.WarehouseStocks.Where(s => s.KabKotaCode == kabKota).ToDictionaryAsync(s => s.ItemKey, ct);
        foreach (var (k, v) in items!)
        {
            if (existing.TryGetValue(k, out var row)) { row.Quantity = v; row.UpdatedAt = time.GetUtcNow(); row.UpdatedBy = actor.UserName; row.Version++; }
            else db.WarehouseStocks.Add(new WarehouseStock { KabKotaCode = kabKota, ItemKey = k, Quantity = v, UpdatedAt = time.GetUtcNow(), UpdatedBy = actor.UserName });
        }
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>Longest submission key accepted (a GUID in the form; a client's Idempotency-Key header).</summary>
    public const int MaxSubmissionKey = 64;

    /// <summary>
    /// Validates and records a berita acara serah terima. Returns the new record or why it was rejected. With a submission key, a second
    /// submission (a double tap, a retry after a lost answer, the back button) returns the record the first one made instead of a duplicate.
    /// A PPK or PPS cannot hand over more of an item than it holds (received minus handed over, void records left out; <see cref="CustodyStock"/>).
    /// </summary>
    public async Task<HandoverOutcome> RecordHandoverAsync(Actor actor, HandoverInput input, CancellationToken ct = default)
    {
        var key = string.IsNullOrWhiteSpace(input.SubmissionKey) ? null : input.SubmissionKey.Trim();
        if (key is not null && ValidKey(key) && await ReplayAsync(actor, key, ct) is { } replay) return replay;
        return await RecordNewAsync(actor, input, key, ct);
    }

    private static bool ValidKey(string key) => key.Length <= MaxSubmissionKey && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');

    /// <summary>The berita acara an earlier submission with <paramref name="key"/> recorded: the same account gets it back, anyone else a 409.</summary>
    private async Task<HandoverOutcome?> ReplayAsync(Actor actor, string key, CancellationToken ct)
    {
        var prior = await db.LogisticsHandovers.AsNoTracking().Include(h => h.Lines).FirstOrDefaultAsync(h => h.SubmissionKey == key, ct);
        if (prior is null) return null;
        if (prior.RecordedBy != actor.UserName || !actor.Covers(prior.ToCode))
            return new(null, new Failure(409, "Kunci sudah dipakai / key already used", "Kunci pengiriman ini sudah dipakai untuk berita acara lain / this submission key was used for another record."));
        return new(ToView(prior), null, Replayed: true);
    }

    private async Task<HandoverOutcome> RecordNewAsync(Actor actor, HandoverInput input, string? key, CancellationToken ct)
    {
        var tree = await readiness.TreeAsync(ct);
        var errors = new Dictionary<string, string[]>();
        void Err(string field, string msg) => errors[field] = errors.TryGetValue(field, out var e) ? [.. e, msg] : [msg];
        // A labelled shipment: its sender and receiver are the shipment's, and its lines are counted from the scanned labels.
        string? shipmentCode = null;
        if (!string.IsNullOrWhiteSpace(input.Shipment))
        {
            shipmentCode = LogisticsLabels.TryParse(input.Shipment, out var sc) ? sc : input.Shipment.Trim();
            var meta = await db.LogisticsShipments.AsNoTracking().FirstOrDefaultAsync(x => x.Code == shipmentCode, ct);
            if (meta is null) return new(null, Failure.NotFound($"Pengiriman {shipmentCode} tidak ditemukan / shipment {shipmentCode} not found."));
            if (!actor.Covers(meta.ToCode)) return new(null, Failure.Forbidden(meta.ToRegionCode));
            if (input.From is { Length: > 0 } f0 && f0 != meta.FromCode) Err("from", $"Pengiriman {meta.Code} dikirim oleh {meta.FromCode}, bukan {f0} / shipment {meta.Code} was sent by {meta.FromCode}.");
            if (input.To is { Length: > 0 } t0 && t0 != meta.ToCode) Err("to", $"Pengiriman {meta.Code} ditujukan ke {meta.ToCode}, bukan {t0} / shipment {meta.Code} is bound for {meta.ToCode}.");
            input = input with { From = meta.FromCode, To = meta.ToCode };
        }
        // Scope first: a receiver outside the actor's region is refused before any validation message can tell an outsider anything.
        if (CustodyNode.TryParse(input.To, out var target) && !actor.Covers(target.Code)) return new(null, Failure.Forbidden(target.RegionCode)); // a TPS (KPPS) scope covers its own TPS only
        var (from, to) = Step(tree, input.From, input.To, Err);
        var now = time.GetUtcNow();
        if (input.HandedOverAt is not { } at) Err("handedOverAt", "Waktu serah terima wajib diisi / the handover time is required.");
        else
        {
            var day = Schedule.Today(at);
            var (start, votingDay) = await LogisticsWindowAsync(target?.RegionCode);
            if (day < start || day > votingDay)
                Err("handedOverAt", $"Tanggal {day:yyyy-MM-dd} di luar jadwal distribusi logistik ({start:yyyy-MM-dd} s.d. hari pemungutan {votingDay:yyyy-MM-dd}) / date outside the logistics schedule.");
            else if (at > now.AddMinutes(10)) Err("handedOverAt", "Waktu serah terima di masa depan / the handover time is in the future.");
        }
        if (string.IsNullOrWhiteSpace(input.HandedOverBy)) Err("handedOverBy", "Nama yang menyerahkan wajib diisi / who handed over is required.");
        if (string.IsNullOrWhiteSpace(input.ReceivedBy)) Err("receivedBy", "Nama yang menerima wajib diisi / who received is required.");
        if (input.HandedOverBy?.Length > 200 || input.ReceivedBy?.Length > 200 || input.EscortedBy?.Length > 200) Err("handedOverBy", "Nama terlalu panjang (maks. 200) / name too long.");
        if (input.Note?.Length > 2000) Err("note", "Catatan terlalu panjang (maks. 2000) / note too long.");
        var lines = input.Lines ?? [];
        LogisticsShipment? shipment = null;
        List<LogisticsPackage> received = [];
        if (shipmentCode is not null)
        {
            Dictionary<string, string[]> labelErrors;
            (shipment, received, lines, labelErrors) = await labels.ReceiveAsync(shipmentCode, input.Labels ?? [], lines, ct);
            if (shipment?.ReceivedAt is not null)
                return new(null, new Failure(409, "Sudah diterima / already received", string.Join(" ", labelErrors.Values.SelectMany(v => v))));
            foreach (var (k, v) in labelErrors) foreach (var m in v) Err(k, m);
        }
        if (lines.Count == 0) Err("lines", "Isi minimal satu barang / give at least one item.");
        var contests = to is null || errors.ContainsKey("to") ? [] : tree.ContestsAt(to.RegionCode);
        for (var i = 0; i < lines.Count; i++)
        {
            var l = lines[i];
            if (l.Item is null || !LogisticsRules.IsValidKey(l.Item, contests)) Err($"lines[{i}].item", $"Barang '{l.Item}' tidak dikenal di wilayah ini / unknown item for this region.");
            if (l.Sent < 0 || l.Received < 0 || l.Damaged < 0) Err($"lines[{i}]", "Jumlah tidak boleh negatif / counts must not be negative.");
            else if (l.Damaged > l.Received) Err($"lines[{i}].damaged", "Jumlah rusak melebihi jumlah diterima / damaged exceeds received.");
        }
        if (lines.Select(l => l.Item).Distinct().Count() != lines.Count) Err("lines", "Barang yang sama tercantum dua kali / an item is listed twice.");
        if (key is not null && !ValidKey(key)) Err("submissionKey", $"Kunci pengiriman tidak sah (maks. {MaxSubmissionKey} huruf, angka, - _ . :) / invalid submission key.");
        if (errors.Count > 0) return new(null, Failure.Invalid(errors));
        if (!actor.Covers(to!.Code)) return new(null, Failure.Forbidden(to.RegionCode));
        if (CustodyStock.Applies(from!.Level))
        {
            var onHand = await OnHandAsync(from.Code, null, ct);
            var over = CustodyStock.Overdrawn($"{CustodyChain.Name(from.Level)} {from.Code}", onHand, lines.Select(l => (l.Item!, l.Sent)).ToList()).ToList();
            if (over.Count > 0)
                return new(null, new Failure(422, "Stok tidak cukup / not enough stock", string.Join(" ", over.Select(o => $"{o.MessageId} / {o.MessageEn}.")),
                    over.ToDictionary(o => $"lines[{o.Line}].sent", o => new[] { $"{o.MessageId} / {o.MessageEn}." })));
        }
        var h = new LogisticsHandover
        {
            FromLevel = from!.Level, FromCode = from.Code, ToLevel = to.Level, ToCode = to.Code, ToRegionCode = to.RegionCode,
            KabKotaCode = RegionCode.AncestorAt(to.RegionCode, RegionLevel.KabKota), HandedOverAt = input.HandedOverAt!.Value.ToUniversalTime(),
            HandedOverBy = input.HandedOverBy!.Trim(), ReceivedBy = input.ReceivedBy!.Trim(), EscortedBy = input.EscortedBy?.Trim(), Note = input.Note?.Trim(),
            RecordedAt = now, RecordedBy = actor.UserName, SubmissionKey = key,
            Lines = lines.Select(l => new LogisticsHandoverLine { ItemKey = l.Item!, Sent = l.Sent, Received = l.Received, Damaged = l.Damaged }).ToList(),
        };
        if (shipment is not null)
        {
            h.ShipmentCode = shipment.Code;
            shipment.ReceivedAt = now;
            shipment.Version++;
            foreach (var p in received) { p.HolderLevel = to.Level; p.HolderCode = to.Code; p.Version++; }
        }
        db.LogisticsHandovers.Add(h);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) when (key is not null || shipment is not null)
        {
            db.ChangeTracker.Clear();
            // The same submission arriving twice at once (a double tap on a slow network): the first one's record is the answer.
            if (key is not null && await ReplayAsync(actor, key, ct) is { } replay) return replay;
            if (shipment is null) throw;
            // The same shipment received twice at once with different forms (two phones).
            return new(null, new Failure(409, "Sudah diterima / already received", $"Pengiriman {shipment.Code} sudah diterima dengan berita acara lain / shipment {shipment.Code} was already received."));
        }
        return new(ToView(h), null);
    }

    /// <summary>A holder's stock on hand per item: received minus handed over, over its berita acara that are not void (optionally leaving one out).</summary>
    private async Task<Dictionary<string, long>> OnHandAsync(string holder, long? without, CancellationToken ct)
    {
        var live = db.LogisticsHandovers.Where(h => h.VoidedAt == null && h.Id != (without ?? 0));
        var received = await db.LogisticsHandoverLines.Where(l => live.Any(h => h.Id == l.HandoverId && h.ToCode == holder))
            .Select(l => new { l.ItemKey, l.Received }).ToListAsync(ct);
        var sent = await db.LogisticsHandoverLines.Where(l => live.Any(h => h.Id == l.HandoverId && h.FromCode == holder))
            .Select(l => new { l.ItemKey, l.Sent }).ToListAsync(ct);
        return CustodyStock.OnHand(received.Select(r => (r.ItemKey, r.Received)), sent.Select(r => (r.ItemKey, r.Sent)));
    }

    public const int MaxVoidReason = 1000;

    /// <summary>
    /// Voids a wrong berita acara with a reason (who may record it may void it): it stays in the list, struck through with the reason, and
    /// no longer counts for stock, shortfalls or discrepancies. A labelled shipment it received can be received again. Refused when the
    /// receiver has already handed on what this record gave it (void the onward record first).
    /// </summary>
    public async Task<(HandoverView? View, Failure? Error)> VoidHandoverAsync(Actor actor, long id, string? reason, CancellationToken ct = default)
    {
        var h = await db.LogisticsHandovers.Include(x => x.Lines).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (h is null) return (null, Failure.NotFound($"Berita acara {id} tidak ditemukan / handover record {id} not found."));
        if (!actor.Covers(h.ToCode)) return (null, Failure.Forbidden(h.ToRegionCode)); // scope before anything else
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > MaxVoidReason)
            return (null, Failure.Invalid(new() { ["reason"] = [$"Alasan pembatalan wajib diisi (maks. {MaxVoidReason}) / a reason is required."] }));
        if (h.VoidedAt is not null)
            return (null, new Failure(409, "Sudah dibatalkan / already void", $"Berita acara {id} sudah dibatalkan / handover record {id} is already void."));
        if (CustodyStock.Applies(h.ToLevel))
        {
            var rest = await OnHandAsync(h.ToCode, h.Id, ct);
            var short_ = rest.Where(kv => kv.Value < 0).Select(kv => kv.Key).OrderBy(k => k, StringComparer.Ordinal).ToList();
            if (short_.Count > 0)
                return (null, new Failure(409, "Sudah diserahkan lanjut / already handed on",
                    $"{CustodyChain.Name(h.ToLevel)} {h.ToCode} sudah menyerahkan lanjut {string.Join(", ", short_)} dari berita acara ini; batalkan dulu berita acara lanjutannya / " +
                    $"{h.ToCode} has already handed on {string.Join(", ", short_)} from this record; void the onward record first."));
        }
        var now = time.GetUtcNow();
        h.VoidedAt = now; h.VoidedBy = actor.UserName; h.VoidReason = reason.Trim();
        if (h.ShipmentCode is { } code)
        {
            var shipment = await db.LogisticsShipments.FirstOrDefaultAsync(s => s.Code == code, ct);
            if (shipment is not null)
            {
                shipment.ReceivedAt = null; shipment.Version++;
                foreach (var p in await db.LogisticsPackages.Where(p => p.ShipmentCode == code && p.HolderCode == h.ToCode).ToListAsync(ct))
                { p.HolderLevel = shipment.FromLevel; p.HolderCode = shipment.FromCode; p.Version++; }
            }
            h.Note = string.IsNullOrEmpty(h.Note) ? $"Pengiriman {code}" : $"{h.Note} · pengiriman {code}";
            h.ShipmentCode = null; // the shipment can be received again by a corrected berita acara
        }
        await db.SaveChangesAsync(ct);
        return (ToView(h), null);
    }

    /// <summary>
    /// The sender and receiver of one step of the chain (null where unknown), each problem added through <paramref name="err"/>: an unknown
    /// sender or receiver, or a step that is not exactly one level down inside the sender. Used by handovers and shipments alike.
    /// </summary>
    internal static (CustodyNode? From, CustodyNode? To) Step(RegionTree tree, string? from, string? to, Action<string, string> err)
    {
        var f = CustodyNode.TryParse(from, out var fn) && tree.Contains(fn) ? fn : null;
        var t = CustodyNode.TryParse(to, out var tn) && tree.Contains(tn) ? tn : null;
        if (f is null) err("from", $"Pengirim '{from}' tidak dikenal: gunakan kode kab/kota (gudang), kecamatan (PPK) atau desa (PPS) / unknown sender.");
        if (t is null) err("to", $"Penerima '{to}' tidak dikenal: gunakan kode kecamatan (PPK), desa (PPS) atau TPS (KPPS) / unknown receiver.");
        else if (f is not null && CustodyChain.Validate(f, t) is { } chain) err("to", chain);
        return (f, t);
    }

    public static HandoverView ToView(LogisticsHandover h) => new(h.Id, h.FromLevel, h.FromCode, h.ToLevel, h.ToCode, h.HandedOverAt, h.HandedOverBy,
        h.ReceivedBy, h.EscortedBy, h.Note, h.PhotoFileId, h.RecordedBy,
        h.Lines.Select(l => new HandoverLineInput(l.ItemKey, l.Sent, l.Received, l.Damaged)).ToList(),
        h.VoidedAt is null ? h.Lines.SelectMany(l => Discrepancies.ForLine(h.ToCode, l.ItemKey, l.Sent, l.Received, l.Damaged)).ToList() : [],
        h.VoidedAt, h.VoidedBy, h.VoidReason);

    /// <summary>Berita acara received under a region; void ones only in the history list.</summary>
    private IQueryable<LogisticsHandover> Within(string code, bool withVoid = false)
    {
        var prefix = code + ".";
        return db.LogisticsHandovers.AsNoTracking().Include(h => h.Lines).Where(h => (withVoid || h.VoidedAt == null) && (h.ToRegionCode == code || h.ToRegionCode.StartsWith(prefix)));
    }

    public async Task<List<HandoverView>> HandoversAsync(string code, int limit, CancellationToken ct = default) =>
        (await Within(code, withVoid: true).OrderByDescending(h => h.HandedOverAt).ThenByDescending(h => h.Id).Take(limit).ToListAsync(ct)).Select(ToView).ToList();

    /// <summary>
    /// Discrepancies under a region on a day: each handover line (received ≠ sent, damage above threshold), each holder that has received
    /// logistics but holds less usable stock (received − damaged) than the TPS beneath it need, and each kecamatan whose PPK has received nothing
    /// after its target day (template <c>kec-logistik-ppk</c>).
    /// </summary>
    public async Task<List<Discrepancy>?> DiscrepanciesAsync(string code, DateOnly day, CancellationToken ct = default)
    {
        var tree = await readiness.TreeAsync(ct);
        if (!tree.Regions.TryGetValue(code, out var region)) return null;
        var handovers = await Within(code).ToListAsync(ct);
        var result = new List<Discrepancy>();
        foreach (var h in handovers)
            foreach (var l in h.Lines) result.AddRange(Discrepancies.ForLine(h.ToCode, l.ItemKey, l.Sent, l.Received, l.Damaged));
        foreach (var g in handovers.GroupBy(h => h.ToCode))
        {
            var usable = new Dictionary<string, long>();
            foreach (var l in g.SelectMany(h => h.Lines)) usable[l.ItemKey] = usable.GetValueOrDefault(l.ItemKey) + l.Received - l.Damaged;
            var holderRegion = g.First().ToRegionCode;
            var tps = g.First().ToLevel == CustodyLevel.Kpps ? tree.TpsWithin(g.Key) : tree.TpsWithin(holderRegion);
            var required = LogisticsRules.Sum(tps.Select(t => (t.Dpt, tree.ContestsAt(t.DesaCode))));
            result.AddRange(Discrepancies.Shortfalls(g.Key, required, usable));
        }
        var templates = await readiness.TemplatesAsync(ct);
        var ppkTarget = templates.FirstOrDefault(t => t.T.Code == ReadinessTemplates.LogisticsAtPpk).Target;
        if (ppkTarget != default && region.Level <= RegionLevel.Kecamatan)
        {
            var atPpk = handovers.Where(h => h.ToLevel == CustodyLevel.Ppk && Schedule.Today(h.HandedOverAt) <= day).Select(h => h.ToCode).ToHashSet();
            IEnumerable<TreeRegion> kecs = region.Level switch
            {
                RegionLevel.Kecamatan => [region],
                RegionLevel.KabKota => tree.ChildrenOf(code),
                _ => tree.ChildrenOf(code).SelectMany(k => tree.ChildrenOf(k.Code)),
            };
            foreach (var k in kecs)
                if (Discrepancies.NotAtPpk(k.Code, atPpk.Contains(k.Code), ppkTarget, day) is { } d) result.Add(d);
        }
        return result;
    }

    public async Task<(ReplacementView? View, Failure? Error)> RequestReplacementAsync(Actor actor, ReplacementInput input, CancellationToken ct = default)
    {
        var tree = await readiness.TreeAsync(ct);
        var errors = new Dictionary<string, string[]>();
        if (!CustodyNode.TryParse(input.Holder, out var holder) || holder.Level == CustodyLevel.Warehouse ||
            !(holder.Level == CustodyLevel.Kpps ? tree.Tps.ContainsKey(holder.Code) : tree.Regions.ContainsKey(holder.Code)))
            errors["holder"] = [$"Pemegang '{input.Holder}' tidak dikenal (PPK, PPS atau KPPS) / unknown holder."];
        else if (!actor.Covers(holder.Code)) return (null, Failure.Forbidden(holder.RegionCode)); // scope first, then the rest of the body
        var contests = errors.Count == 0 ? tree.ContestsAt(holder.RegionCode) : [];
        if (errors.Count == 0 && (input.Contest is null || !contests.Contains(input.Contest)))
            errors["contest"] = [$"Pemilihan '{input.Contest}' tidak diadakan di wilayah ini / contest not held here."];
        if (input.Quantity <= 0) errors["quantity"] = ["Jumlah harus lebih dari 0 / quantity must be positive."];
        if (string.IsNullOrWhiteSpace(input.Reason) || input.Reason.Length > 1000) errors["reason"] = ["Alasan wajib diisi (maks. 1000) / a reason is required."];
        if (errors.Count > 0) return (null, Failure.Invalid(errors));
        if (!actor.Covers(holder.Code)) return (null, Failure.Forbidden(holder.RegionCode));
        var key = $"{LogisticsRules.Ballot}:{input.Contest}";
        var damaged = await db.LogisticsHandoverLines.Where(l => l.ItemKey == key &&
            db.LogisticsHandovers.Any(h => h.Id == l.HandoverId && h.ToCode == holder.Code && h.VoidedAt == null)).SumAsync(l => (long?)l.Damaged, ct) ?? 0;
        var requested = await db.BallotReplacementRequests.Where(r => r.HolderCode == holder.Code && r.ContestCode == input.Contest && r.Status != ReplacementStatus.Rejected)
            .SumAsync(r => (long?)r.Quantity, ct) ?? 0;
        if (input.Quantity > damaged - requested)
            return (null, Failure.Invalid(new() { ["quantity"] = [$"Jumlah {input.Quantity} melebihi surat suara rusak yang tercatat di berita acara ({damaged}, sudah diminta {requested}) / exceeds the damaged ballots recorded."] }));
        var r = new BallotReplacementRequest
        {
            HolderCode = holder.Code, RegionCode = holder.RegionCode, KabKotaCode = RegionCode.AncestorAt(holder.RegionCode, RegionLevel.KabKota),
            ContestCode = input.Contest!, Quantity = input.Quantity, Reason = input.Reason!.Trim(), Status = ReplacementStatus.Requested,
            RequestedAt = time.GetUtcNow(), RequestedBy = actor.UserName,
        };
        db.BallotReplacementRequests.Add(r);
        await db.SaveChangesAsync(ct);
        return (ToView(r), null);
    }

    public async Task<(ReplacementView? View, Failure? Error)> DecideReplacementAsync(Actor actor, long id, ReplacementStatus status, long? version, CancellationToken ct = default)
    {
        var r = await db.BallotReplacementRequests.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (r is null) return (null, Failure.NotFound($"Permintaan {id} tidak ditemukan / request not found."));
        if (!actor.Covers(r.KabKotaCode)) return (null, Failure.Forbidden(r.KabKotaCode));
        if (version is { } v && v != r.Version) return (null, new Failure(409, "Konflik / conflict", "Permintaan sudah diubah orang lain; muat ulang / changed by someone else, reload."));
        var allowed = (r.Status, status) switch
        {
            (ReplacementStatus.Requested, ReplacementStatus.Approved or ReplacementStatus.Rejected) => true,
            (ReplacementStatus.Approved, ReplacementStatus.Fulfilled or ReplacementStatus.Rejected) => true,
            _ => false,
        };
        if (!allowed) return (null, Failure.Bad("Perubahan status tidak sah / invalid transition", $"{r.Status} → {status} tidak diizinkan / not allowed."));
        r.Status = status; r.DecidedAt = time.GetUtcNow(); r.DecidedBy = actor.UserName; r.Version++;
        await db.SaveChangesAsync(ct);
        return (ToView(r), null);
    }

    public async Task<List<ReplacementView>> ReplacementsAsync(string code, CancellationToken ct = default)
    {
        var prefix = code + ".";
        return (await db.BallotReplacementRequests.AsNoTracking().Where(r => r.RegionCode == code || r.RegionCode.StartsWith(prefix))
            .OrderByDescending(r => r.RequestedAt).Take(500).ToListAsync(ct)).Select(ToView).ToList();
    }

    private static ReplacementView ToView(BallotReplacementRequest r) =>
        new(r.Id, r.HolderCode, r.ContestCode, r.Quantity, r.Reason, r.Status, r.RequestedAt, r.RequestedBy, r.DecidedAt, r.DecidedBy, r.Version);
}
