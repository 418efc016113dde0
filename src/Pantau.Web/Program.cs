using Pantau.Web.Infrastructure;

var builder = WebApplication.CreateBuilder(args);
builder.AddPantau();
var app = builder.Build();

if (Commands.TryGet(args, out var command))
    return await command(app);

await app.InitializeDatabaseAsync();
app.UsePantau();
await app.RunAsync();
return 0;

/// <summary>Entry point type, visible to the test host.</summary>
public partial class Program;
