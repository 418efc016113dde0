using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using A = DocumentFormat.OpenXml.Drawing;
using C = DocumentFormat.OpenXml.Drawing.Charts;
using Xdr = DocumentFormat.OpenXml.Drawing.Spreadsheet;

namespace Pantau.Web.Infrastructure;

/// <summary>
/// A small .xlsx writer on DocumentFormat.OpenXml for workbooks that need more than rows: native Excel bar charts whose series reference
/// cell ranges of the data sheets (with cached values, so viewers that do not recalculate still draw them) and embedded PNG images.
/// Data sheets have one bold header row (row 1) and one row per item from row 2, like <see cref="Export.ToXlsx"/>.
/// </summary>
public sealed class XlsxBook
{
    public sealed record Column(string Header, double Width = 14);

    public sealed class DataSheet
    {
        internal DataSheet(string name, IReadOnlyList<Column> columns, IReadOnlyList<object?[]> rows) { Name = name; Columns = columns; Rows = rows; }
        public string Name { get; }
        public IReadOnlyList<Column> Columns { get; }
        public IReadOnlyList<object?[]> Rows { get; }

        public int IndexOf(string header)
        {
            for (var i = 0; i < Columns.Count; i++) if (Columns[i].Header == header) return i;
            throw new ArgumentException($"No column '{header}' in sheet '{Name}'", nameof(header));
        }

        /// <summary>The absolute reference of a column's data cells, e.g. <c>'Per wilayah'!$E$2:$E$18</c>.</summary>
        public string DataRange(string header) => $"{Quoted(Name)}!${ColumnName(IndexOf(header))}$2:${ColumnName(IndexOf(header))}${Rows.Count + 1}";

        /// <summary>The absolute reference of a column's header cell (the series name), e.g. <c>'Per wilayah'!$E$1</c>.</summary>
        public string HeaderCell(string header) => $"{Quoted(Name)}!${ColumnName(IndexOf(header))}$1";
    }

    /// <summary>A bar chart: categories from one column, one series per value column (same sheet).</summary>
    public sealed record BarChart(string Title, DataSheet Sheet, string CategoryColumn, IReadOnlyList<string> ValueColumns, bool Horizontal = true,
        IReadOnlyList<string>? Colors = null, string NumberFormat = "General");

    public sealed record Image(string Name, string Description, byte[] Png);

    private readonly List<DataSheet> _sheets = [];
    private readonly List<(string Name, string? Heading, List<BarChart> Charts, List<Image> Images, int Position)> _drawingSheets = [];

    public DataSheet AddSheet(string name, IReadOnlyList<Column> columns, IEnumerable<object?[]> rows)
    {
        var s = new DataSheet(SafeName(name), columns, rows.ToList());
        _sheets.Add(s);
        return s;
    }

    /// <summary>A sheet holding charts (stacked top to bottom, then the images), placed after the data sheets added so far.</summary>
    public void AddChartSheet(string name, string? heading, IEnumerable<BarChart> charts, IEnumerable<Image> images) =>
        _drawingSheets.Add((SafeName(name), heading, charts.ToList(), images.ToList(), _sheets.Count));

    public byte[] ToBytes()
    {
        using var ms = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(ms, SpreadsheetDocumentType.Workbook))
        {
            var wb = doc.AddWorkbookPart();
            wb.Workbook = new Workbook();
            var styles = wb.AddNewPart<WorkbookStylesPart>();
            styles.Stylesheet = Stylesheet();
            var strings = new SharedStrings(wb.AddNewPart<SharedStringTablePart>());
            var sheets = wb.Workbook.AppendChild(new Sheets());
            uint id = 1;
            var order = new List<(int Position, int Kind, int Index)>();
            for (var i = 0; i < _sheets.Count; i++) order.Add((i, 0, i));
            for (var i = 0; i < _drawingSheets.Count; i++) order.Add((_drawingSheets[i].Position, 1, i));
            foreach (var (_, kind, index) in order.OrderBy(o => o.Position).ThenBy(o => o.Kind))
            {
                var part = wb.AddNewPart<WorksheetPart>();
                string name;
                if (kind == 0) { var s = _sheets[index]; name = s.Name; part.Worksheet = DataWorksheet(s, strings); }
                else { var d = _drawingSheets[index]; name = d.Name; part.Worksheet = DrawingWorksheet(part, d.Heading, d.Charts, d.Images, strings); }
                sheets.Append(new Sheet { Id = wb.GetIdOfPart(part), SheetId = id++, Name = name });
            }
            strings.Save();
            wb.Workbook.Save();
        }
        return ms.ToArray();
    }

    // ---------- cells ----------

    public static string ColumnName(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26) name = (char)('A' + (n - 1) % 26) + name;
        return name;
    }

    private static string Quoted(string sheet) => "'" + sheet.Replace("'", "''") + "'";

    private static string SafeName(string s)
    {
        var clean = new string(s.Where(c => c is not ('[' or ']' or ':' or '*' or '?' or '/' or '\\')).ToArray());
        return clean.Length > 31 ? clean[..31] : clean;
    }

    private sealed class SharedStrings(SharedStringTablePart part)
    {
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
        private readonly SharedStringTable _table = part.SharedStringTable = new SharedStringTable();

        public int Get(string s)
        {
            if (_index.TryGetValue(s, out var i)) return i;
            _table.AppendChild(new SharedStringItem(new Text(s) { Space = SpaceProcessingModeValues.Preserve }));
            return _index[s] = _index.Count;
        }

        public void Save() { _table.Count = (uint)_index.Count; _table.UniqueCount = (uint)_index.Count; part.SharedStringTable.Save(); }
    }

    private static Cell CellOf(string reference, object? value, SharedStrings strings, uint style = 0)
    {
        var c = new Cell { CellReference = reference };
        if (style != 0) c.StyleIndex = style;
        switch (value)
        {
            case null: break;
            case int or long or short or double or float or decimal:
                c.DataType = CellValues.Number;
                c.CellValue = new CellValue(Convert.ToDouble(value, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture));
                break;
            default:
                c.DataType = CellValues.SharedString;
                c.CellValue = new CellValue(strings.Get(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "").ToString(CultureInfo.InvariantCulture));
                break;
        }
        return c;
    }

    private static Worksheet DataWorksheet(DataSheet s, SharedStrings strings)
    {
        var cols = new Columns(s.Columns.Select((c, i) => new DocumentFormat.OpenXml.Spreadsheet.Column
            { Min = (uint)i + 1, Max = (uint)i + 1, Width = c.Width, CustomWidth = true }));
        var data = new SheetData();
        var header = new Row { RowIndex = 1 };
        for (var i = 0; i < s.Columns.Count; i++) header.Append(CellOf(ColumnName(i) + "1", s.Columns[i].Header, strings, 1));
        data.Append(header);
        for (var r = 0; r < s.Rows.Count; r++)
        {
            var row = new Row { RowIndex = (uint)r + 2 };
            for (var i = 0; i < s.Columns.Count && i < s.Rows[r].Length; i++)
                if (s.Rows[r][i] is { } v) row.Append(CellOf(ColumnName(i) + (r + 2), v, strings));
            data.Append(row);
        }
        var last = ColumnName(Math.Max(0, s.Columns.Count - 1)) + (s.Rows.Count + 1);
        return new Worksheet(new SheetDimension { Reference = "A1:" + last },
            new SheetViews(new SheetView(new Pane { VerticalSplit = 1, TopLeftCell = "A2", ActivePane = PaneValues.BottomLeft, State = PaneStateValues.Frozen }) { WorkbookViewId = 0 }),
            cols, data);
    }

    private static Stylesheet Stylesheet() => new(
        new Fonts(new Font(new FontSize { Val = 11 }, new FontName { Val = "Calibri" }),
                  new Font(new Bold(), new FontSize { Val = 11 }, new FontName { Val = "Calibri" }),
                  new Font(new Bold(), new FontSize { Val = 14 }, new FontName { Val = "Calibri" })) { Count = 3 },
        new Fills(new Fill(new PatternFill { PatternType = PatternValues.None }), new Fill(new PatternFill { PatternType = PatternValues.Gray125 })) { Count = 2 },
        new Borders(new Border(new LeftBorder(), new RightBorder(), new TopBorder(), new BottomBorder(), new DiagonalBorder())) { Count = 1 },
        new CellFormats(new CellFormat { FontId = 0, FillId = 0, BorderId = 0 },
                        new CellFormat { FontId = 1, FillId = 0, BorderId = 0, ApplyFont = true },
                        new CellFormat { FontId = 2, FillId = 0, BorderId = 0, ApplyFont = true }) { Count = 3 });

    // ---------- charts and images ----------

    private const long Emu = 9525; // per pixel at 96 dpi

    private static Worksheet DrawingWorksheet(WorksheetPart part, string? heading, List<BarChart> charts, List<Image> images, SharedStrings strings)
    {
        var drawings = part.AddNewPart<DrawingsPart>();
        var wsDrawing = new Xdr.WorksheetDrawing();
        drawings.WorksheetDrawing = wsDrawing;
        uint shapeId = 2;
        var row = 2; // row 1 holds the heading
        foreach (var chart in charts)
        {
            var cp = drawings.AddNewPart<ChartPart>();
            cp.ChartSpace = ChartSpace(chart);
            var n = chart.Sheet.Rows.Count;
            var height = chart.Horizontal ? Math.Max(16, 6 + (int)Math.Ceiling(n * 1.3 * Math.Max(1, chart.ValueColumns.Count * 0.7))) : 18;
            wsDrawing.Append(new Xdr.TwoCellAnchor(
                Marker<Xdr.FromMarker>(0, row), Marker<Xdr.ToMarker>(10, row + height),
                new Xdr.GraphicFrame(
                    new Xdr.NonVisualGraphicFrameProperties(new Xdr.NonVisualDrawingProperties { Id = shapeId, Name = "Grafik " + (shapeId - 1), Description = chart.Title },
                        new Xdr.NonVisualGraphicFrameDrawingProperties()),
                    new Xdr.Transform(new A.Offset { X = 0, Y = 0 }, new A.Extents { Cx = 0, Cy = 0 }),
                    new A.Graphic(new A.GraphicData(new C.ChartReference { Id = drawings.GetIdOfPart(cp) }) { Uri = "http://schemas.openxmlformats.org/drawingml/2006/chart" }))
                { Macro = "" },
                new Xdr.ClientData()));
            shapeId++;
            row += height + 1;
        }
        foreach (var img in images)
        {
            var ip = drawings.AddImagePart(ImagePartType.Png);
            using (var s = new MemoryStream(img.Png)) ip.FeedData(s);
            var (w, h) = PngSize(img.Png);
            // Screenshots are taken at device scale 2: show them at half their pixel size.
            long cx = Math.Max(1, w / 2) * Emu, cy = Math.Max(1, h / 2) * Emu;
            wsDrawing.Append(new Xdr.OneCellAnchor(
                Marker<Xdr.FromMarker>(0, row),
                new Xdr.Extent { Cx = cx, Cy = cy },
                new Xdr.Picture(
                    new Xdr.NonVisualPictureProperties(new Xdr.NonVisualDrawingProperties { Id = shapeId, Name = img.Name, Description = img.Description },
                        new Xdr.NonVisualPictureDrawingProperties(new A.PictureLocks { NoChangeAspect = true })),
                    new Xdr.BlipFill(new A.Blip { Embed = drawings.GetIdOfPart(ip) }, new A.Stretch(new A.FillRectangle())),
                    new Xdr.ShapeProperties(new A.Transform2D(new A.Offset { X = 0, Y = 0 }, new A.Extents { Cx = cx, Cy = cy }),
                        new A.PresetGeometry(new A.AdjustValueList()) { Preset = A.ShapeTypeValues.Rectangle })),
                new Xdr.ClientData()));
            shapeId++;
            row += (int)(cy / (20 * Emu)) + 2;
        }
        drawings.WorksheetDrawing.Save();
        var data = new SheetData();
        if (heading is not null) data.Append(new Row(CellOf("A1", heading, strings, 2)) { RowIndex = 1 });
        return new Worksheet(data, new Drawing { Id = part.GetIdOfPart(drawings) });
    }

    private static T Marker<T>(int col, int row) where T : OpenXmlCompositeElement, new()
    {
        var m = new T();
        m.Append(new Xdr.ColumnId(col.ToString(CultureInfo.InvariantCulture)), new Xdr.ColumnOffset("0"),
            new Xdr.RowId(row.ToString(CultureInfo.InvariantCulture)), new Xdr.RowOffset("0"));
        return m;
    }

    /// <summary>Width and height from the PNG header (IHDR).</summary>
    public static (int Width, int Height) PngSize(byte[] png)
    {
        if (png.Length < 24 || png[0] != 0x89 || png[1] != (byte)'P') throw new ArgumentException("not a PNG", nameof(png));
        int Be(int o) => (png[o] << 24) | (png[o + 1] << 16) | (png[o + 2] << 8) | png[o + 3];
        return (Be(16), Be(20));
    }

    private static readonly string[] Palette = ["0B5CAD", "C62828", "2E7D32", "F9A825", "6A1B9A"];

    private static C.ChartSpace ChartSpace(BarChart chart)
    {
        var s = chart.Sheet;
        var categories = s.Rows.Select(r => Convert.ToString(r[s.IndexOf(chart.CategoryColumn)], CultureInfo.InvariantCulture) ?? "").ToList();
        var bar = new C.BarChart(
            new C.BarDirection { Val = chart.Horizontal ? C.BarDirectionValues.Bar : C.BarDirectionValues.Column },
            new C.BarGrouping { Val = C.BarGroupingValues.Clustered },
            new C.VaryColors { Val = false });
        for (var i = 0; i < chart.ValueColumns.Count; i++)
        {
            var col = chart.ValueColumns[i];
            var values = s.Rows.Select(r => r[s.IndexOf(col)] is { } v ? Convert.ToDouble(v, CultureInfo.InvariantCulture) : (double?)null).ToList();
            var color = chart.Colors is { } cs && i < cs.Count ? cs[i] : Palette[i % Palette.Length];
            bar.Append(new C.BarChartSeries(
                new C.Index { Val = (uint)i }, new C.Order { Val = (uint)i },
                new C.SeriesText(new C.StringReference(new C.Formula(s.HeaderCell(col)),
                    new C.StringCache(new C.PointCount { Val = 1 }, new C.StringPoint(new C.NumericValue(col)) { Index = 0 }))),
                new C.ChartShapeProperties(new A.SolidFill(new A.RgbColorModelHex { Val = color })),
                new C.InvertIfNegative { Val = false },
                new C.CategoryAxisData(new C.StringReference(new C.Formula(s.DataRange(chart.CategoryColumn)),
                    StringCache(categories))),
                new C.Values(new C.NumberReference(new C.Formula(s.DataRange(col)), NumberCache(values, chart.NumberFormat)))));
        }
        bar.Append(new C.DataLabels(new C.ShowLegendKey { Val = false }, new C.ShowValue { Val = true }, new C.ShowCategoryName { Val = false },
            new C.ShowSeriesName { Val = false }, new C.ShowPercent { Val = false }, new C.ShowBubbleSize { Val = false }));
        bar.Append(new C.GapWidth { Val = 60 });
        bar.Append(new C.AxisId { Val = 100u }, new C.AxisId { Val = 200u });

        var plot = new C.PlotArea(new C.Layout(), bar,
            new C.CategoryAxis(new C.AxisId { Val = 100u },
                new C.Scaling(new C.Orientation { Val = chart.Horizontal ? C.OrientationValues.MaxMin : C.OrientationValues.MinMax }),
                new C.Delete { Val = false }, new C.AxisPosition { Val = chart.Horizontal ? C.AxisPositionValues.Left : C.AxisPositionValues.Bottom },
                new C.NumberingFormat { FormatCode = "General", SourceLinked = true },
                new C.MajorTickMark { Val = C.TickMarkValues.None }, new C.MinorTickMark { Val = C.TickMarkValues.None },
                new C.TickLabelPosition { Val = C.TickLabelPositionValues.NextTo }, new C.CrossingAxis { Val = 200u },
                new C.Crosses { Val = C.CrossesValues.AutoZero }, new C.AutoLabeled { Val = true },
                new C.LabelAlignment { Val = C.LabelAlignmentValues.Center }, new C.LabelOffset { Val = 100 }, new C.NoMultiLevelLabels { Val = false }),
            new C.ValueAxis(new C.AxisId { Val = 200u }, new C.Scaling(new C.Orientation { Val = C.OrientationValues.MinMax }),
                new C.Delete { Val = false }, new C.AxisPosition { Val = chart.Horizontal ? C.AxisPositionValues.Top : C.AxisPositionValues.Left },
                new C.MajorGridlines(), new C.NumberingFormat { FormatCode = chart.NumberFormat, SourceLinked = false },
                new C.MajorTickMark { Val = C.TickMarkValues.Outside }, new C.MinorTickMark { Val = C.TickMarkValues.None },
                new C.TickLabelPosition { Val = C.TickLabelPositionValues.NextTo }, new C.CrossingAxis { Val = 100u },
                new C.Crosses { Val = chart.Horizontal ? C.CrossesValues.Maximum : C.CrossesValues.AutoZero }, new C.CrossBetween { Val = C.CrossBetweenValues.Between }));

        var c = new C.Chart(
            new C.Title(new C.ChartText(new C.RichText(new A.BodyProperties(), new A.ListStyle(),
                new A.Paragraph(new A.ParagraphProperties(new A.DefaultRunProperties { FontSize = 1200, Bold = true }), new A.Run(new A.RunProperties { Language = "id-ID", FontSize = 1200, Bold = true }, new A.Text(chart.Title))))),
                new C.Overlay { Val = false }),
            new C.AutoTitleDeleted { Val = false },
            plot);
        if (chart.ValueColumns.Count > 1) c.Append(new C.Legend(new C.LegendPosition { Val = C.LegendPositionValues.Bottom }, new C.Overlay { Val = false }));
        c.Append(new C.PlotVisibleOnly { Val = true }, new C.DisplayBlanksAs { Val = C.DisplayBlanksAsValues.Gap });
        return new C.ChartSpace(new C.EditingLanguage { Val = "id-ID" }, new C.RoundedCorners { Val = false }, c);
    }

    private static C.StringCache StringCache(IReadOnlyList<string> values)
    {
        var cache = new C.StringCache(new C.PointCount { Val = (uint)values.Count });
        for (var i = 0; i < values.Count; i++) cache.Append(new C.StringPoint(new C.NumericValue(values[i])) { Index = (uint)i });
        return cache;
    }

    private static C.NumberingCache NumberCache(IReadOnlyList<double?> values, string format)
    {
        var cache = new C.NumberingCache(new C.FormatCode(format), new C.PointCount { Val = (uint)values.Count });
        for (var i = 0; i < values.Count; i++)
            if (values[i] is { } v) cache.Append(new C.NumericPoint(new C.NumericValue(v.ToString("R", CultureInfo.InvariantCulture))) { Index = (uint)i });
        return cache;
    }
}
