using BatchShip.Engine.Carriers;
using BatchShip.Engine.Errors;
using Xunit;

namespace BatchShip.Engine.Tests.Carriers;

/// <summary>Address validation and tracking through the real sandbox carrier, started over stdio.</summary>
[Trait("Category", "Integration")]
public sealed class ValidationAndTrackingSandboxTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private string Ledger => Path.Combine(_folder.Path, "ledger.jsonl");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Validates_a_known_address_and_offers_candidates_for_a_doubtful_one()
    {
        await using var session = await McpCarrierSession.StartAsync(SandboxCarrierProcess.Profile(Ledger), CancellationToken.None);

        Assert.IsType<AddressValidationOutcome.Valid>(await session.ValidateAddressAsync(
            new AddressToValidate(["1 Market St"], "San Francisco", "CA", "94105", "US"), CancellationToken.None));

        // A Boston ZIP code with California: keep the state and fix the ZIP, or keep the ZIP and fix the state.
        var ambiguous = Assert.IsType<AddressValidationOutcome.Ambiguous>(await session.ValidateAddressAsync(
            new AddressToValidate(["1 Market St"], "San Francisco", "CA", "02134-1234", "US"), CancellationToken.None));
        Assert.Equal(2, ambiguous.Candidates.Count);
        Assert.Contains(ambiguous.Candidates, c => c.StartsWith("1 MARKET ST, SAN FRANCISCO MA 02134-1234", StringComparison.Ordinal));

        Assert.IsType<AddressValidationOutcome.Invalid>(await session.ValidateAddressAsync(
            new AddressToValidate(["1 Łódź Street"], "Boston", "MA", "02134", "US"), CancellationToken.None));
    }

    [Fact]
    public async Task Tracks_a_shipment_it_made_and_reports_an_unknown_number_as_a_failure()
    {
        await using var session = await McpCarrierSession.StartAsync(SandboxCarrierProcess.Profile(Ledger), CancellationToken.None);
        var created = Assert.IsType<CreateOutcome.Created>(await session.CreateShipmentAsync(ShipRequests.Ground("BS-T-TRACK1"), CancellationToken.None));

        var tracked = Assert.IsType<TrackOutcome.Tracked>(await session.TrackAsync(created.Shipment.Packages[0].TrackingNumber, CancellationToken.None));
        Assert.Equal("Label Created", tracked.Status);
        Assert.Null(tracked.DeliveredAt);

        var unknown = Assert.IsType<TrackOutcome.Failed>(await session.TrackAsync("1Z999AA10123456784", CancellationToken.None));
        Assert.Equal("151044", unknown.Error.CarrierCode);
    }

    [Fact]
    public async Task A_profile_without_the_tools_is_refused_with_E3011()
    {
        var profile = SandboxCarrierProcess.Profile(Ledger) with { ValidateTool = null, TrackTool = "track_everything" };
        await using var session = await McpCarrierSession.StartAsync(profile, CancellationToken.None);

        var noValidate = Assert.Throws<BatchShipException>(() => session.RequireTool(profile.ValidateTool, "validate", "-ValidateAddress"));
        Assert.Equal(ErrorCatalog.CarrierToolMissing, noValidate.Error);
        var noTrack = Assert.Throws<BatchShipException>(() => session.RequireTool(profile.TrackTool, "track", "tracking"));
        Assert.Contains("track_everything", noTrack.Message, StringComparison.Ordinal);
        var failed = Assert.IsType<TrackOutcome.Failed>(await session.TrackAsync("1Z999AA10123456784", CancellationToken.None));
        Assert.Equal(ErrorCatalog.CarrierToolMissing, failed.Error.Error);
    }
}
