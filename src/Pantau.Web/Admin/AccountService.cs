using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Regions;
using Pantau.Core.Security;
using Pantau.Data;
using Pantau.Data.Identity;
using Pantau.Web.Infrastructure;

namespace Pantau.Web.Admin;

public enum Outcome { Ok, Invalid, Forbidden, NotFound }

/// <summary>The result of an account operation: <see cref="Outcome"/>, a bilingual message, and a value (e.g. a generated password).</summary>
public sealed record AccountResult<T>(Outcome Outcome, string? Message, T? Value)
{
    public static AccountResult<T> Ok(T value) => new(Outcome.Ok, null, value);
    public static AccountResult<T> Invalid(string message) => new(Outcome.Invalid, message, default);
    public static AccountResult<T> Forbidden(string message) => new(Outcome.Forbidden, message, default);
    public static AccountResult<T> NotFound() => new(Outcome.NotFound, "Akun tidak ditemukan / account not found.", default);

    public IResult ToHttp(Func<T, IResult> ok) => Outcome switch
    {
        Outcome.Ok => ok(Value!),
        Outcome.Forbidden => TypedResults.Problem(Message, statusCode: 403, title: "Outside your scope"),
        Outcome.NotFound => TypedResults.Problem(Message, statusCode: 404, title: "Not found"),
        _ => TypedResults.Problem(Message, statusCode: 400, title: "Invalid request"),
    };
}

public sealed record UserDto(string Id, string UserName, string DisplayName, Role Role, string ScopeCode, string? Agency, bool Disabled,
    bool LockedOut, int FailedAttempts, DateTimeOffset CreatedAt);
public sealed record NewUser(string? UserName, string? DisplayName, Role? Role, string? ScopeCode, string? Agency);
public sealed record CreatedUser(UserDto User, string Password);
public sealed record TokenDto(int Id, string Name, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt);
public sealed record NewToken(string? Name, int? ExpiresInDays);
public sealed record CreatedToken(TokenDto Info, string Token);
public sealed record UserFilter(string? Q = null, Role? Role = null, string? Scope = null, bool? Disabled = null, int Page = 1, int PageSize = 50);
public sealed record Page<T>(IReadOnlyList<T> Items, int Total, int PageNumber, int PageSize);

/// <summary>
/// Administration of accounts and API tokens, shared by the admin API and the admin pages.
/// Scope rule: an admin manages only accounts whose scope lies inside the admin's own scope, and never grants a wider scope than their own.
/// </summary>
public sealed class AccountService(PantauDbContext db, UserManager<PantauUser> users, TimeProvider time)
{
    /// <summary>Accounts disabled by an admin are locked out until this date.</summary>
    public static readonly DateTimeOffset DisabledUntil = new(9000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public IQueryable<PantauUser> VisibleTo(Actor actor)
    {
        var s = actor.ScopeCode;
        return s.Length == 0 ? db.Users : InScope(db.Users, s);
    }

    /// <summary>
    /// Accounts whose scope lies inside <paramref name="scope"/>: the region itself, regions beneath it, and TPS scopes (13 digits, no
    /// dots) of its desa; a TPS scope holds only accounts of that TPS.
    /// </summary>
    private static IQueryable<PantauUser> InScope(IQueryable<PantauUser> q, string scope)
    {
        if (Scopes.IsTps(scope) || !RegionCode.IsValid(scope)) return q.Where(u => u.ScopeCode == scope);
        var (dotted, numeric) = Scopes.Prefixes(scope);
        return q.Where(u => u.ScopeCode == scope || u.ScopeCode.StartsWith(dotted)
            || (u.ScopeCode.Length == 13 && !u.ScopeCode.Contains(".") && u.ScopeCode.StartsWith(numeric)));
    }

    public UserDto ToDto(PantauUser u)
    {
        var now = time.GetUtcNow();
        return new(u.Id, u.UserName ?? "", u.DisplayName, u.Role, u.ScopeCode, u.Agency, u.LockoutEnd >= DisabledUntil,
            u.LockoutEnd is { } e && e > now, u.AccessFailedCount, u.CreatedAt);
    }

    public async Task<Page<UserDto>> ListAsync(Actor actor, UserFilter f, CancellationToken ct = default)
    {
        var q = VisibleTo(actor).AsNoTracking();
        if (!string.IsNullOrWhiteSpace(f.Q))
        {
            var t = f.Q.Trim().ToUpperInvariant();
            q = q.Where(u => u.NormalizedUserName!.Contains(t) || u.DisplayName.ToUpper().Contains(t) || (u.Agency != null && u.Agency.ToUpper().Contains(t)));
        }
        if (f.Role is { } role) q = q.Where(u => u.Role == role);
        if (!string.IsNullOrWhiteSpace(f.Scope)) q = InScope(q, f.Scope.Trim());
        if (f.Disabled is true) q = q.Where(u => u.LockoutEnd != null && u.LockoutEnd >= DisabledUntil);
        if (f.Disabled is false) q = q.Where(u => u.LockoutEnd == null || u.LockoutEnd < DisabledUntil);
        var size = Math.Clamp(f.PageSize, 1, 200);
        var page = Math.Max(1, f.Page);
        var total = await q.CountAsync(ct);
        var rows = await q.OrderBy(u => u.ScopeCode).ThenBy(u => u.UserName).Skip((page - 1) * size).Take(size).ToListAsync(ct);
        return new(rows.Select(ToDto).ToList(), total, page, size);
    }

    private async Task<(PantauUser? User, AccountResult<T>? Error)> TargetAsync<T>(Actor actor, string id, CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null) return (null, AccountResult<T>.NotFound());
        if (!actor.Covers(user.ScopeCode))
            return (null, AccountResult<T>.Forbidden("Akun ini di luar wilayah Anda / this account is outside your region scope."));
        // Admin accounts are managed by a national admin only: a scoped admin cannot take over (reset, disable, give tokens to) a peer.
        if (user.Role == Role.Admin && actor.ScopeCode.Length > 0 && user.Id != actor.UserId)
            return (null, AccountResult<T>.Forbidden("Akun admin hanya dikelola admin nasional / admin accounts are managed by a national admin only."));
        return (user, null);
    }

    public async Task<AccountResult<CreatedUser>> CreateAsync(Actor actor, NewUser n, CancellationToken ct = default)
    {
        var name = n.UserName?.Trim() ?? "";
        var scope = n.ScopeCode?.Trim() ?? "";
        // A wholly empty form from a regional admin is missing fields, not a request for the national scope (which stays a 403 below).
        if (scope.Length == 0 && name.Length == 0 && actor.ScopeCode.Length > 0)
            return AccountResult<CreatedUser>.Invalid("Wilayah akun wajib diisi (di dalam wilayah Anda) / the account's region scope is required (inside your own).");
        // Scope first (issue 20): an outsider learns nothing from the validation messages.
        if (Scopes.IsValid(scope) && !actor.Covers(scope))
            return AccountResult<CreatedUser>.Forbidden("Anda tidak dapat memberi wilayah di luar wilayah Anda / you cannot grant a scope outside your own.");
        if (name.Length is < 3 or > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@'))
            return AccountResult<CreatedUser>.Invalid("Nama pengguna 3–64 huruf/angka/.-_@ / user name must be 3–64 letters, digits or .-_@.");
        if (n.Role is not { } role || role == Role.Public || !Enum.IsDefined(role))
            return AccountResult<CreatedUser>.Invalid("Peran tidak valid / invalid role.");
        if (scope.Length == 0 && role != Role.Admin)
            return AccountResult<CreatedUser>.Invalid("Setiap peran selain admin nasional terikat pada wilayah / every role but a national admin needs a region scope.");
        if (!Scopes.IsValid(scope))
            return AccountResult<CreatedUser>.Invalid("Kode wilayah atau TPS tidak valid / invalid region or TPS code.");
        // One TPS is the scope of a KPPS account (it enters that TPS's C.Hasil); every other role works over a region.
        if (Scopes.IsTps(scope) && role != Role.KppsOperator)
            return AccountResult<CreatedUser>.Invalid("Hanya akun KPPS yang terikat pada satu TPS; peran lain memakai kode wilayah / only KPPS accounts are bound to one TPS; other roles take a region code.");
        if (!actor.Covers(scope))
            return AccountResult<CreatedUser>.Forbidden("Anda tidak dapat memberi wilayah di luar wilayah Anda / you cannot grant a scope outside your own.");
        if (role == Role.Admin && actor.ScopeCode.Length > 0)
            return AccountResult<CreatedUser>.Forbidden("Hanya admin nasional yang dapat membuat akun admin / only a national admin can create admin accounts.");
        if (Scopes.IsTps(scope) ? !await db.Tps.AnyAsync(t => t.Code == scope, ct) : scope.Length > 0 && !await db.Regions.AnyAsync(r => r.Code == scope, ct))
            return AccountResult<CreatedUser>.Invalid(Scopes.IsTps(scope) ? "TPS tidak dikenal / unknown TPS." : "Wilayah tidak dikenal / unknown region.");
        if ((n.DisplayName?.Length ?? 0) > Pantau.Core.Text.TextRules.Name || (n.Agency?.Length ?? 0) > Pantau.Core.Text.TextRules.Name)
            return AccountResult<CreatedUser>.Invalid("Nama atau instansi terlalu panjang / name or agency too long.");
        var user = new PantauUser
        {
            UserName = name, DisplayName = string.IsNullOrWhiteSpace(n.DisplayName) ? name : n.DisplayName.Trim(),
            Role = role, ScopeCode = scope, Agency = string.IsNullOrWhiteSpace(n.Agency) ? null : n.Agency.Trim(), CreatedAt = time.GetUtcNow(),
            MustChangePassword = true, // a generated password: the user chooses their own at the first sign-in
        };
        var password = Commands.GeneratePassword();
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded) return AccountResult<CreatedUser>.Invalid(string.Join("; ", result.Errors.Select(e => e.Description)));
        return AccountResult<CreatedUser>.Ok(new CreatedUser(ToDto(user), password));
    }

    public async Task<AccountResult<UserDto>> SetDisabledAsync(Actor actor, string id, bool disabled, CancellationToken ct = default)
    {
        var (user, error) = await TargetAsync<UserDto>(actor, id, ct);
        if (error is not null) return error;
        if (user!.Id == actor.UserId) return AccountResult<UserDto>.Invalid("Anda tidak dapat menonaktifkan akun sendiri / you cannot disable your own account.");
        await users.SetLockoutEnabledAsync(user, true);
        await users.SetLockoutEndDateAsync(user, disabled ? DisabledUntil : null);
        if (!disabled) await users.ResetAccessFailedCountAsync(user);
        await users.UpdateSecurityStampAsync(user); // signs the account out everywhere
        return AccountResult<UserDto>.Ok(ToDto(user));
    }

    public async Task<AccountResult<string>> ResetPasswordAsync(Actor actor, string id, CancellationToken ct = default)
    {
        var (user, error) = await TargetAsync<string>(actor, id, ct);
        if (error is not null) return error;
        var password = Commands.GeneratePassword();
        await users.RemovePasswordAsync(user!);
        var result = await users.AddPasswordAsync(user!, password);
        if (!result.Succeeded) return AccountResult<string>.Invalid(string.Join("; ", result.Errors.Select(e => e.Description)));
        await users.ResetAccessFailedCountAsync(user!);
        user!.MustChangePassword = true;
        await users.UpdateAsync(user!);
        // A reset ends every way in: sessions (security stamp) and API tokens, at once.
        await users.UpdateSecurityStampAsync(user!);
        var now = time.GetUtcNow();
        foreach (var t in await db.ApiTokens.Where(t => t.UserId == user!.Id && t.RevokedAt == null).ToListAsync(ct)) t.RevokedAt = now;
        await db.SaveChangesAsync(ct);
        return AccountResult<string>.Ok(password);
    }

    public async Task<AccountResult<CreatedToken>> CreateTokenAsync(Actor actor, string userId, NewToken n, CancellationToken ct = default)
    {
        var (user, error) = await TargetAsync<CreatedToken>(actor, userId, ct);
        if (error is not null) return error;
        var name = n.Name?.Trim() ?? "";
        if (name.Length is < 1 or > 100) return AccountResult<CreatedToken>.Invalid("Nama token 1–100 karakter / token name must be 1–100 characters.");
        if (n.ExpiresInDays is < 1 or > 366) return AccountResult<CreatedToken>.Invalid("Masa berlaku 1–366 hari / validity must be 1–366 days.");
        var token = AuthSetup.NewToken();
        var now = time.GetUtcNow();
        var row = new ApiToken
        {
            UserId = user!.Id, Name = name, TokenHash = AuthSetup.HashToken(token), CreatedAt = now,
            ExpiresAt = n.ExpiresInDays is { } d ? now.AddDays(d) : null,
        };
        db.ApiTokens.Add(row);
        await db.SaveChangesAsync(ct);
        return AccountResult<CreatedToken>.Ok(new CreatedToken(ToDto(row), token));
    }

    public async Task<AccountResult<List<TokenDto>>> TokensAsync(Actor actor, string userId, CancellationToken ct = default)
    {
        var (user, error) = await TargetAsync<List<TokenDto>>(actor, userId, ct);
        if (error is not null) return error;
        var rows = await db.ApiTokens.AsNoTracking().Where(t => t.UserId == user!.Id).OrderBy(t => t.Id).ToListAsync(ct);
        return AccountResult<List<TokenDto>>.Ok(rows.Select(ToDto).ToList());
    }

    public async Task<AccountResult<TokenDto>> RevokeTokenAsync(Actor actor, int tokenId, CancellationToken ct = default)
    {
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == tokenId, ct);
        if (token is null) return AccountResult<TokenDto>.NotFound();
        var (_, error) = await TargetAsync<TokenDto>(actor, token.UserId, ct);
        if (error is not null) return error;
        if (token.RevokedAt is null)
        {
            token.RevokedAt = time.GetUtcNow();
            await db.SaveChangesAsync(ct);
        }
        return AccountResult<TokenDto>.Ok(ToDto(token));
    }

    public async Task<AccountResult<bool>> ChangeOwnPasswordAsync(Actor actor, string? current, string? next, CancellationToken ct = default)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == actor.UserId, ct);
        if (user is null) return AccountResult<bool>.NotFound();
        if (string.IsNullOrEmpty(current) || string.IsNullOrEmpty(next) || next.Length > 200)
            return AccountResult<bool>.Invalid("Isi kata sandi lama dan baru / give the current and the new password.");
        var result = await users.ChangePasswordAsync(user, current, next);
        if (!result.Succeeded) return AccountResult<bool>.Invalid(string.Join("; ", result.Errors.Select(e => e.Description)));
        if (user.MustChangePassword) { user.MustChangePassword = false; await users.UpdateAsync(user); }
        return AccountResult<bool>.Ok(true);
    }

    private static TokenDto ToDto(ApiToken t) => new(t.Id, t.Name, t.CreatedAt, t.ExpiresAt, t.RevokedAt);
}
