using System.Text;
using System.Text.Json;
using Pantau.Web.Tally;

namespace Pantau.Web.Tests;

/// <summary>The bulk intake's streaming reader of a JSON array: the same elements as a whole-document parse, however the bytes arrive.</summary>
public class JsonArrayStreamTests
{
    /// <summary>A stream that hands out at most a few bytes per read, as a slow network does.</summary>
    private sealed class Trickle(byte[] data, Random random, int most) : Stream
    {
        private int _at;
        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = Math.Min(Math.Min(count, random.Next(1, most + 1)), data.Length - _at);
            Array.Copy(data, _at, buffer, offset, n);
            _at += n;
            return n;
        }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => data.Length;
        public override long Position { get => _at; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static List<string> ReadAll(byte[] json, Random random, int most, int buffer)
    {
        var reader = new JsonArrayStream(new Trickle(json, random, most), buffer);
        var list = new List<string>();
        while (reader.Next() is { } doc) using (doc) list.Add(doc.RootElement.GetRawText());
        return list;
    }

    private static int CountAll(byte[] json, Random random, int most, int buffer)
    {
        var reader = new JsonArrayStream(new Trickle(json, random, most), buffer);
        var n = 0;
        while (reader.Skip()) n++;
        return n;
    }

    [Fact]
    public void Random_arrays_read_in_random_pieces_give_the_elements_of_a_whole_parse()
    {
        var random = new Random(20);
        for (var round = 0; round < 300; round++)
        {
            var items = Enumerable.Range(0, random.Next(0, 40)).Select(i => random.Next(4) switch
            {
                0 => i.ToString(),
                1 => JsonSerializer.Serialize(new string('x', random.Next(0, 300)) + "\u00e9\u20ac"),
                2 => JsonSerializer.Serialize(new { contest = "PILGUB-16", tps = $"1671011001{i:D3}", votes = new Dictionary<string, long> { ["1"] = i, ["2"] = 9 }, note = new string('y', random.Next(0, 2000)) }),
                _ => "[1,[2,[3]],{\"a\":null}]",
            }).ToList();
            var ws = new[] { "", " ", "\n  ", "\t" };
            var text = ws[random.Next(4)] + "[" + string.Join("," + ws[random.Next(4)], items) + ws[random.Next(4)] + "]" + ws[random.Next(4)];
            var bytes = Encoding.UTF8.GetBytes(text);
            var expected = JsonDocument.Parse(bytes).RootElement.EnumerateArray().Select(e => e.GetRawText()).ToList();
            var buffer = random.Next(16, 256); // smaller than many elements: the buffer must grow and keep the partial element
            Assert.Equal(expected, ReadAll(bytes, random, random.Next(1, 64), buffer));
            Assert.Equal(expected.Count, CountAll(bytes, random, random.Next(1, 64), buffer));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("[1,2")]
    [InlineData("[1,]")]
    [InlineData("[1] x")]
    [InlineData("[1] [2]")]
    [InlineData("[{\"a\":1}")]
    [InlineData("[\"unterminated]")]
    [InlineData("1")]
    public void Malformed_input_is_a_JsonException_on_both_passes(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Assert.ThrowsAny<JsonException>(() => ReadAll(bytes, new Random(1), 3, 16));
        Assert.ThrowsAny<JsonException>(() => CountAll(bytes, new Random(1), 3, 16));
    }

    [Fact]
    public void An_element_above_the_limit_is_refused_without_holding_the_body()
    {
        var huge = Encoding.UTF8.GetBytes("[\"" + new string('z', JsonArrayStream.MaxElementBytes + 10) + "\"]");
        var e = Assert.ThrowsAny<JsonException>(() => CountAll(huge, new Random(2), 65536, 64 * 1024));
        Assert.Contains("larger than", e.Message);
    }

    [Fact]
    public void Nesting_deeper_than_the_sheet_needs_is_refused()
    {
        var deep = Encoding.UTF8.GetBytes("[" + new string('[', 40) + new string(']', 40) + "]");
        Assert.ThrowsAny<JsonException>(() => ReadAll(deep, new Random(3), 7, 32));
    }
}
