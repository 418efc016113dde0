using System.Diagnostics;
using System.Globalization;

namespace Pantau.Web.Infrastructure;

/// <summary>
/// A <c>Server-Timing</c> header (W3C Server Timing) with the time the endpoint's handler took to produce its answer, in
/// milliseconds: <c>Server-Timing: proof;dur=0.042</c>. The benchmark reads it to report the server's own share of a request
/// apart from the network and the client; browsers show it in their developer tools.
/// </summary>
public static class ServerTiming
{
    public static RouteHandlerBuilder WithServerTiming(this RouteHandlerBuilder builder, string metric) =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var start = Stopwatch.GetTimestamp();
            var result = await next(context);
            var ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            context.HttpContext.Response.Headers.Append("Server-Timing", string.Create(CultureInfo.InvariantCulture, $"{metric};dur={ms:0.###}"));
            return result;
        });
}
