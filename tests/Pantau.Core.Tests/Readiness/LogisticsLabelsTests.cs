using Pantau.Core.Readiness;

namespace Pantau.Core.Tests.Readiness;

public class LogisticsLabelsTests
{
    // Palembang warehouse → PPK Ilir Barat II → PPS desa 16.71.01.1001 → KPPS TPS 001 of that desa.
    private static readonly CustodyNode Warehouse = new(CustodyLevel.Warehouse, "16.71");
    private static readonly CustodyNode Ppk = new(CustodyLevel.Ppk, "16.71.01");
    private static readonly CustodyNode Pps = new(CustodyLevel.Pps, "16.71.01.1001");
    private static readonly CustodyNode Kpps = new(CustodyLevel.Kpps, "1671011001001");
    private static readonly HashSet<string> None = [];

    private static LogisticsLabel Box(string code = "BOX-1", string shipment = "S-16.71-1", CustodyNode? holder = null, CustodyNode? dest = null) =>
        new(code, LabelKind.Package, shipment, "kotak-suara:PILGUB-16", 1, dest ?? Kpps, holder ?? Warehouse);

    [Fact]
    public void A_box_of_the_shipment_held_by_the_sender_and_bound_beneath_the_receiver_is_accepted()
    {
        Assert.Null(LogisticsLabels.Check(Box(), "BOX-1", "S-16.71-1", Warehouse, Ppk, None));
        Assert.Null(LogisticsLabels.Check(Box(holder: Pps, shipment: "S-3"), "BOX-1", "S-3", Pps, Kpps, None));
    }

    [Fact]
    public void A_label_of_another_shipment_is_refused()
    {
        var r = LogisticsLabels.Check(Box(shipment: "S-16.71-2"), "BOX-1", "S-16.71-1", Warehouse, Ppk, None);
        Assert.Equal("label-not-in-shipment", r!.Code);
        Assert.Contains("S-16.71-2", r.MessageId);
    }

    [Fact]
    public void A_box_not_at_this_step_of_its_chain_is_refused()
    {
        // Still at the warehouse, scanned at the PPS's handover to the KPPS.
        Assert.Equal("label-wrong-step", LogisticsLabels.Check(Box(), "BOX-1", "S-16.71-1", Pps, Kpps, None)!.Code);
        // Bound for a TPS in another kecamatan: it does not go through this PPK.
        Assert.Equal("label-wrong-step", LogisticsLabels.Check(Box(dest: new(CustodyLevel.Kpps, "1671021001001")), "BOX-1", "S-16.71-1", Warehouse, Ppk, None)!.Code);
    }

    [Fact]
    public void Unknown_and_twice_scanned_labels_are_refused()
    {
        Assert.Equal("label-unknown", LogisticsLabels.Check(null, "XYZ", "S-1", Warehouse, Ppk, None)!.Code);
        Assert.Equal("label-duplicate", LogisticsLabels.Check(Box(), "BOX-1", "S-16.71-1", Warehouse, Ppk, new HashSet<string> { "BOX-1" })!.Code);
    }

    [Theory]
    [InlineData("PANTAU-LOG1:box-16.71-000123", true, "BOX-16.71-000123")]
    [InlineData("BOX-16.71-000123", true, "BOX-16.71-000123")]
    [InlineData("https://example.org/x", false, "")]
    [InlineData("", false, "")]
    public void Payloads_parse(string scanned, bool ok, string code)
    {
        Assert.Equal(ok, LogisticsLabels.TryParse(scanned, out var c));
        Assert.Equal(code, c);
        if (ok) Assert.True(LogisticsLabels.TryParse(LogisticsLabels.Payload(c), out var again) && again == c);
    }
}
