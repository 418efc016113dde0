using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Pantau.Core.Security;
using Pantau.Core.Tally;
using Pantau.Data;
using Pantau.Web.Infrastructure;
using Pantau.Web.Tally;

namespace Pantau.Web.Pages.Tally;

/// <summary>The tamper-evident log for Desk, Bawaslu and adjudicators: head, signed checkpoints, public key, and a button that runs verify.</summary>
[Authorize(Policy = Access.ResultReview)]
public sealed class VerifikasiModel(PantauDbContext db, TallyKeys keys) : PageModel
{
    public static readonly Role[] Viewers = [.. RoleGroups.ResultAdjudication, .. RoleGroups.Desk];

    public long HeadSeq { get; private set; }
    public string HeadHash { get; private set; } = HashChain.GenesisHex;
    public DateTimeOffset? HeadAt { get; private set; }
    public List<CheckpointDto> Checkpoints { get; private set; } = [];
    public string KeyId => keys.Signer.KeyId;
    public VerifyReport? Report { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Report = await Web.Tally.PublicLog.PublicLogVerifier.VerifyAllAsync(db, keys.Signer, ct);
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var head = await db.TallyLog.AsNoTracking().OrderByDescending(e => e.Seq).Select(e => new { e.Seq, e.Hash, e.At }).FirstOrDefaultAsync(ct);
        if (head is not null) (HeadSeq, HeadHash, HeadAt) = (head.Seq, head.Hash, head.At);
        Checkpoints = await db.TallyCheckpoints.AsNoTracking().OrderByDescending(c => c.Seq).Take(10)
            .Select(c => new CheckpointDto(c.Seq, c.HeadHash, c.Signature, c.KeyId, c.At)).ToListAsync(ct);
    }
}
