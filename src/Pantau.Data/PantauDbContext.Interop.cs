using Microsoft.EntityFrameworkCore;
using Pantau.Data.Interop;

namespace Pantau.Data;

public partial class PantauDbContext
{
    public DbSet<CalendarFeed> CalendarFeeds => Set<CalendarFeed>();
}
