namespace Pantau.Web.Infrastructure;

/// <summary>
/// <c>Pantau:ReadInstance=true</c>: a process that serves the public results and takes no intake, beside an ingesting instance on
/// the same database. It changes these defaults at once (each can still be set on its own): no scheduled jobs
/// (<c>Pantau:RunJobs</c>, the ingesting instance runs them), no SQLite WAL checkpoints (<c>Pantau:Sqlite:CheckpointSeconds</c>)
/// and no signed log checkpoints (<c>Pantau:Tally:CheckpointMinutes</c>), both left to the ingesting instance, the bulk lane at
/// normal priority (<c>Pantau:BulkIdle</c>, <c>Pantau:BulkNice</c>: its background recap rebuilds wait behind no import) and
/// requests on the socket threads (<c>Pantau:InlineRequests</c>). See docs/tally.md, "Public-read instances".
/// </summary>
public static class ReadInstance
{
    public static bool IsSet(IConfiguration config) => config.GetValue("Pantau:ReadInstance", false);
}
