using System.Text.Json;

namespace Pantau.Web.Tally;

/// <summary>
/// Reads a JSON array from a stream one element at a time: only the read buffer and the current element are in memory, however
/// long the array (the bulk intake reads its spooled body this way). The buffer grows only to hold one element, up to
/// <see cref="MaxElementBytes"/>. Malformed JSON, a top level that is not an array, trailing data, or an element above the limit
/// throw <see cref="JsonException"/>.
/// </summary>
internal sealed class JsonArrayStream(Stream stream, int bufferSize = 64 * 1024)
{
    /// <summary>The largest single element accepted (a C.Hasil sheet is a few hundred bytes).</summary>
    public const int MaxElementBytes = 1024 * 1024;

    private static readonly JsonReaderOptions Options = new() { MaxDepth = 16 };
    private byte[] _buffer = new byte[Math.Max(16, bufferSize)];
    private int _start, _end;
    private bool _final, _begun, _done;
    private JsonReaderState _state = new(Options);

    private delegate bool Step<T>(ref Utf8JsonReader reader, out T result);

    /// <summary>Skips the next element; false at the end of the array.</summary>
    public bool Skip()
    {
        var skipped = Run(static (ref Utf8JsonReader r, out bool skipped) =>
        {
            skipped = false;
            if (!r.Read()) return false;
            if (r.TokenType == JsonTokenType.EndArray) return true;
            if (!r.TrySkip()) return false;
            skipped = true;
            return true;
        });
        if (!skipped) End();
        return skipped;
    }

    /// <summary>The next element (the caller disposes it), or null at the end of the array.</summary>
    public JsonDocument? Next()
    {
        var doc = Run(static (ref Utf8JsonReader r, out JsonDocument? d) =>
        {
            d = null;
            if (!r.Read()) return false;
            if (r.TokenType == JsonTokenType.EndArray) return true;
            return JsonDocument.TryParseValue(ref r, out d);
        });
        if (doc is null) End();
        return doc;
    }

    /// <summary>After the closing bracket: nothing but whitespace may follow.</summary>
    private void End()
    {
        _done = true;
        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
            bool more;
            try { more = reader.Read(); }
            catch (JsonException) { more = true; }
            if (more) throw new JsonException("trailing data after the array");
            if (_final) return;
            _start += (int)reader.BytesConsumed;
            Refill();
        }
    }

    private T Run<T>(Step<T> step)
    {
        if (_done) throw new InvalidOperationException("the array has ended");
        if (!_begun)
        {
            Loop(static (ref Utf8JsonReader r, out bool ok) =>
            {
                ok = r.Read();
                if (ok && r.TokenType != JsonTokenType.StartArray) throw new JsonException("the top level is not an array");
                return ok;
            });
            _begun = true;
        }
        return Loop(step);
    }

    /// <summary>Runs <paramref name="step"/> on the unread bytes, reading more (and trying again from the same state) until it completes.</summary>
    private T Loop<T>(Step<T> step)
    {
        while (true)
        {
            var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
            if (step(ref reader, out var result))
            {
                _start += (int)reader.BytesConsumed;
                _state = reader.CurrentState;
                return result;
            }
            if (_final) throw new JsonException("the array is not closed");
            Refill();
        }
    }

    /// <summary>Keeps the unread bytes, grows the buffer when they fill it (one element larger than the buffer), reads more.</summary>
    private void Refill()
    {
        var kept = _end - _start;
        if (kept == _buffer.Length)
        {
            if (_buffer.Length >= MaxElementBytes) throw new JsonException($"an element is larger than {MaxElementBytes} bytes");
            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, MaxElementBytes));
        }
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, kept);
            (_start, _end) = (0, kept);
        }
        var n = stream.Read(_buffer, _end, _buffer.Length - _end);
        if (n == 0) _final = true;
        else _end += n;
    }
}
