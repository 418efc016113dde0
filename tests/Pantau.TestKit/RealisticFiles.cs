using System.Buffers.Binary;
using System.Text;

namespace Pantau.TestKit;

/// <summary>
/// Files shaped like what people really upload: a phone camera JPEG of several megabytes (Exif header, 4032x3024 frame, entropy-coded
/// data that does not compress) and a scanned PDF of up to the upload cap. The content is pseudo-random from a seed, so a test is
/// repeatable and two files of different seeds have different hashes.
/// </summary>
public static class RealisticFiles
{
    /// <summary>A JPEG of exactly <paramref name="bytes"/> bytes (default 4 MB) as a phone camera writes it.</summary>
    public static byte[] PhoneJpeg(int bytes = 4 * 1024 * 1024, int seed = 1)
    {
        using var ms = new MemoryStream(bytes);
        void Segment(byte marker, ReadOnlySpan<byte> payload)
        {
            ms.WriteByte(0xFF); ms.WriteByte(marker);
            Span<byte> len = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(len, (ushort)(payload.Length + 2));
            ms.Write(len); ms.Write(payload);
        }
        ms.WriteByte(0xFF); ms.WriteByte(0xD8); // SOI
        var exif = new List<byte>();
        exif.AddRange("Exif\0\0"u8.ToArray());
        exif.AddRange(new byte[] { 0x4D, 0x4D, 0x00, 0x2A, 0, 0, 0, 8, 0, 0 }); // TIFF header, big-endian, empty IFD
        exif.AddRange(Encoding.ASCII.GetBytes("samsung SM-A145F\0"));
        Segment(0xE1, exif.ToArray());
        var dqt = new byte[65]; for (var i = 1; i < 65; i++) dqt[i] = (byte)(1 + i / 8);
        Segment(0xDB, dqt);
        Segment(0xC0, [8, 0x0B, 0xD0, 0x0F, 0xC0, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]); // 3024 x 4032, YCbCr 4:2:0
        Segment(0xDA, [3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 0x3F, 0]);
        var rng = new Random(seed);
        var data = new byte[bytes - (int)ms.Length - 2];
        rng.NextBytes(data);
        for (var i = 0; i < data.Length; i++) if (data[i] == 0xFF) data[i] = 0xFE; // no markers inside the entropy-coded data
        ms.Write(data);
        ms.WriteByte(0xFF); ms.WriteByte(0xD9); // EOI
        return ms.ToArray();
    }

    /// <summary>A PDF of exactly <paramref name="bytes"/> bytes (a scanned, signed agreement: one big image stream).</summary>
    public static byte[] ScannedPdf(int bytes = 10 * 1024 * 1024, int seed = 2)
    {
        var head = Encoding.ASCII.GetBytes("%PDF-1.7\n%\u00e2\u00e3\u00cf\u00d3\n1 0 obj << /Type /XObject /Subtype /Image /Width 2480 /Height 3508 /Filter /DCTDecode >>\nstream\n");
        var tail = Encoding.ASCII.GetBytes("\nendstream\nendobj\ntrailer << >>\n%%EOF\n");
        var pdf = new byte[bytes];
        head.CopyTo(pdf, 0);
        new Random(seed).NextBytes(pdf.AsSpan(head.Length, bytes - head.Length - tail.Length));
        tail.CopyTo(pdf, bytes - tail.Length);
        return pdf;
    }
}
