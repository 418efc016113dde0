namespace Pantau.Core.Readiness;

/// <summary>What a QR label is stuck on: a whole shipment (one leg of the chain) or one box / packet in it.</summary>
public enum LabelKind { Shipment = 1, Package = 2 }

/// <summary>
/// A QR label. A package label stays on its box from the KPU kab/kota warehouse to the TPS it is bound for (<paramref name="Destination"/>,
/// a TPS code or a region code); at each step it travels in a shipment (<paramref name="ShipmentCode"/>) from one holder to the next.
/// <paramref name="Holder"/> is the holder that last received it (the warehouse before its first handover).
/// </summary>
public sealed record LogisticsLabel(string Code, LabelKind Kind, string ShipmentCode, string? ItemKey, long Quantity, CustodyNode Destination, CustodyNode Holder);

/// <summary>A refused scan: a stable code and a readable message (id / en).</summary>
public sealed record LabelRefusal(string Code, string MessageId, string MessageEn);

/// <summary>One labelled package of a TPS: its label suffix, what the label names, and what is packed inside (item key → quantity).</summary>
public sealed record PackageSpec(string Suffix, string ItemKey, IReadOnlyDictionary<string, long> Contents);

/// <summary>QR label payloads and the rule that decides whether a scanned label may be received in a handover (pure).</summary>
public static class LogisticsLabels
{
    /// <summary>The label suffix and item of the packet of supplies a TPS shares between its contests (ink, punches, markers ...).</summary>
    public const string SharedSuffix = "PERLENGKAPAN";
    public const string SharedItem = "perlengkapan";

    /// <summary>
    /// How a TPS's logistics are packed, as KPU packs them: one ballot box per contest holding everything of that contest (ballots,
    /// seals, forms, envelopes, padlock ...) and one packet of the shared supplies. The contents sum to <see cref="LogisticsRules.ForTps"/>.
    /// </summary>
    public static IReadOnlyList<PackageSpec> Pack(int dpt, IReadOnlyList<string> contests)
    {
        var list = new List<PackageSpec>();
        foreach (var c in contests)
            list.Add(new(c, LogisticsRules.Key(LogisticsRules.Items.First(i => i.Code == "kotak-suara"), c),
                LogisticsRules.Items.Where(i => i.PerContest).ToDictionary(i => LogisticsRules.Key(i, c), i => (long)i.PerTps(dpt))));
        list.Add(new(SharedSuffix, SharedItem, LogisticsRules.Items.Where(i => !i.PerContest).ToDictionary(i => i.Code, i => (long)i.PerTps(dpt))));
        return list;
    }

    /// <summary>The label code of a TPS's package: the 13-digit TPS code and the contest (or <see cref="SharedSuffix"/>).</summary>
    public static string PackageCode(string tpsCode, string suffix) => $"{tpsCode}-{suffix}".ToUpperInvariant();

    /// <summary>The label code of the n-th shipment to a holder.</summary>
    public static string ShipmentCode(string toCode, int n) => $"S-{toCode}-{n}";

    public static bool IsShipmentCode(string labelCode) => labelCode.StartsWith("S-", StringComparison.Ordinal);

    /// <summary>A package's contents as stored (<c>item=quantity;...</c>, ordinal order) and back.</summary>
    public static string FormatContents(IReadOnlyDictionary<string, long> contents) =>
        string.Join(";", contents.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"));

    public static Dictionary<string, long> ParseContents(string contents) =>
        contents.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('='))
            .ToDictionary(p => p[0], p => long.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Prefix of every Pantau logistics QR payload (versioned, so that another QR code on the box is told apart).</summary>
    public const string Prefix = "PANTAU-LOG1:";

    public static string Payload(string labelCode) => Prefix + labelCode;

    /// <summary>Reads the label code from a scanned QR text (the payload, or the bare code typed by hand).</summary>
    public static bool TryParse(string? scanned, out string labelCode)
    {
        labelCode = "";
        var t = scanned?.Trim() ?? "";
        if (t.StartsWith(Prefix, StringComparison.Ordinal)) t = t[Prefix.Length..];
        if (t.Length is < 3 or > 64 || !t.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.')) return false;
        labelCode = t.ToUpperInvariant();
        return true;
    }

    /// <summary>
    /// Whether <paramref name="label"/> (null: no such label) may be received in the handover of shipment <paramref name="shipmentCode"/>
    /// from <paramref name="from"/> to <paramref name="to"/>: it must be a label of that shipment, held by the sender (not already passed on,
    /// not still further up the chain), bound for the receiver or a holder beneath it, and not scanned twice. Null when accepted.
    /// </summary>
    public static LabelRefusal? Check(LogisticsLabel? label, string scanned, string shipmentCode, CustodyNode from, CustodyNode to, IReadOnlySet<string> alreadyScanned)
    {
        if (label is null)
            return new("label-unknown", $"Label {scanned} tidak dikenal.", $"Label {scanned} is not known.");
        if (alreadyScanned.Contains(label.Code))
            return new("label-duplicate", $"Label {label.Code} sudah dipindai.", $"Label {label.Code} was already scanned.");
        if (!string.Equals(label.ShipmentCode, shipmentCode, StringComparison.OrdinalIgnoreCase))
            return new("label-not-in-shipment", $"Label {label.Code} bukan bagian dari pengiriman {shipmentCode} (tercatat pada {label.ShipmentCode}).",
                $"Label {label.Code} is not in shipment {shipmentCode} (it belongs to {label.ShipmentCode}).");
        if (label.Holder != from)
            return new("label-wrong-step", $"Label {label.Code} tercatat di {CustodyChain.Name(label.Holder.Level)} {label.Holder.Code}, bukan di pengirim {CustodyChain.Name(from.Level)} {from.Code}: bukan tahap ini dalam rantainya.",
                $"Label {label.Code} is held by {label.Holder.Code}, not by the sender {from.Code}: this is not its step in the chain.");
        if (!BoundFor(label.Destination, to))
            return new("label-wrong-step", $"Label {label.Code} ditujukan ke {label.Destination.Code}, tidak melalui {CustodyChain.Name(to.Level)} {to.Code}.",
                $"Label {label.Code} is bound for {label.Destination.Code}, which is not through {to.Code}.");
        return null;
    }

    /// <summary>True when a box bound for <paramref name="destination"/> passes through <paramref name="holder"/> (the holder itself or an ancestor).</summary>
    public static bool BoundFor(CustodyNode destination, CustodyNode holder)
    {
        if (destination == holder) return true;
        if ((int)holder.Level > (int)destination.Level) return false;
        var code = destination.Level == CustodyLevel.Kpps ? destination.RegionCode : destination.Code;
        if (holder.Level == CustodyLevel.Kpps) return false;
        return code == holder.Code || code.StartsWith(holder.Code + ".", StringComparison.Ordinal);
    }
}
