using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Pantau.Web.Infrastructure;

namespace Pantau.TestKit;

/// <summary>A <see cref="PantauApp"/> listening on a real loopback port (Kestrel), for browsers and crash tests.</summary>
public static class LiveServer
{
    public static async Task<(PantauApp App, string BaseUrl)> StartAsync(DatabaseProvider provider = DatabaseProvider.Sqlite, DateTimeOffset? now = null,
        IDictionary<string, string?>? settings = null)
    {
        var app = await PantauApp.StartKestrelAsync(provider, now, settings);
        var server = app.Services.GetRequiredService<IServer>();
        var address = server.Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, address.TrimEnd('/'));
    }
}

public static class LiveServerExtensions
{
    /// <summary>The loopback address of an app started with Kestrel (<see cref="PantauApp.StartOnAsync"/> with kestrel: true).</summary>
    public static string BaseUrl(this PantauApp app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
}
