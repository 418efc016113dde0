using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Pantau.Web.Infrastructure;

/// <summary>Rate-limit policies, partitioned by client address: sign-in, public forms and public APIs.</summary>
public static class RateLimits
{
    public const string SignIn = "sign-in";
    public const string PublicForm = "public-form";
    public const string PublicApi = "public-api";

    public static IServiceCollection AddPantauRateLimits(this IServiceCollection services, IConfiguration config)
    {
        var scale = config.GetValue("Pantau:RateLimitScale", 1.0);
        int N(int n) => Math.Max(1, (int)(n * scale));
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (ctx, ct) =>
            {
                ctx.HttpContext.Response.Headers.RetryAfter = "60";
                await TypedResults.Problem("Terlalu banyak permintaan; coba lagi sebentar lagi / too many requests; try again shortly.",
                    statusCode: 429, title: "Too many requests").ExecuteAsync(ctx.HttpContext);
            };
            o.AddPolicy(SignIn, ctx => RateLimitPartition.GetFixedWindowLimiter(Key(ctx), _ => new FixedWindowRateLimiterOptions { PermitLimit = N(20), Window = TimeSpan.FromMinutes(1) }));
            o.AddPolicy(PublicForm, ctx => RateLimitPartition.GetFixedWindowLimiter(Key(ctx), _ => new FixedWindowRateLimiterOptions { PermitLimit = N(10), Window = TimeSpan.FromMinutes(1) }));
            o.AddPolicy(PublicApi, ctx => RateLimitPartition.GetTokenBucketLimiter(Key(ctx), _ => new TokenBucketRateLimiterOptions
            { TokenLimit = N(300), TokensPerPeriod = N(100), ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 0 }));
        });
        return services;
    }

    private static string Key(HttpContext ctx) => ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
