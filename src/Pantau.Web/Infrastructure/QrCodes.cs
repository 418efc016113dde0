namespace Pantau.Web.Infrastructure;

/// <summary>QR codes rendered on the server as SVG (QRCoder, error correction M): receipts' check addresses and logistics labels.</summary>
public static class QrCodes
{
    public static string Svg(string text)
    {
        using var qr = new QRCoder.QRCodeGenerator();
        using var data = qr.CreateQrCode(text, QRCoder.QRCodeGenerator.ECCLevel.M);
        return new QRCoder.SvgQRCode(data).GetGraphic(4);
    }
}
