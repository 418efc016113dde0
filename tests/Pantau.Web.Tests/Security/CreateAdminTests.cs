using Microsoft.EntityFrameworkCore;
using Pantau.Core.Security;
using Pantau.TestKit;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Tests.Security;

/// <summary>Issue 24.7: the first admin made on the command line with a generated (printed) password must change it at the first
/// sign-in, like accounts made in /admin; a password the operator chose (--password-env) need not be changed.</summary>
public class CreateAdminTests
{
    [Fact]
    public async Task A_generated_admin_password_must_be_changed_at_first_sign_in()
    {
        await using var db = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        Assert.Equal(0, await CommandLine.RunAsync(db.ConnectionString, "create-admin", "admin-generated"));
        Environment.SetEnvironmentVariable("PANTAU_TEST_CHOSEN_PASSWORD", "Chosen-Password-2024!");
        Assert.Equal(0, await CommandLine.RunAsync(db.ConnectionString, "create-admin", "admin-chosen", "--password-env", "PANTAU_TEST_CHOSEN_PASSWORD"));
        Assert.Equal(0, await CommandLine.RunAsync(db.ConnectionString, "create-user", "camat-generated", "Camat", "16.71.01"));
        await using var ctx = db.NewContext();
        var users = await ctx.Users.AsNoTracking().ToDictionaryAsync(u => u.UserName!);
        Assert.True(users["admin-generated"].MustChangePassword);
        Assert.Equal(Role.Admin, users["admin-generated"].Role);
        Assert.False(users["admin-chosen"].MustChangePassword);
        Assert.True(users["camat-generated"].MustChangePassword);
    }
}
