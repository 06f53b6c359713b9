using BatchShip.Engine.Errors;

namespace BatchShip.Engine.Carriers;

/// <summary>
/// Checks that a carrier can ship before a batch needs it: its credentials are at hand, its server starts and lists
/// its tools, it offers the tools the profile names, and (on request) it answers one rate quote. Every finding says
/// what to fix; nothing is shipped.
/// </summary>
public static class CarrierCheck
{
    /// <summary>A finding that stops shipping.</summary>
    public const string Error = "Error";

    /// <summary>A finding that weakens a guarantee but does not stop shipping.</summary>
    public const string Warning = "Warning";

    /// <summary>The tool the quote of <c>-Rate</c> is asked from (matt-hans/ups-mcp and the sandbox).</summary>
    public const string RateTool = "rate_shipment";

    /// <summary>Runs the check. Secrets come from <paramref name="secrets"/>; missing credentials are reported and the
    /// server is still started without them, so that one run reports every problem.</summary>
    public static async Task<CarrierCheckResult> RunAsync(CarrierProfile profile, CarrierSecrets? secrets, bool rate,
        Func<string, string?> environmentLookup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var problems = new List<CarrierProblem>();
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        var credentialsPresent = true;
        foreach (var (key, value) in profile.Environment)
        {
            try { environment[key] = CarrierEnvironment.ResolveOne(profile.Name, key, value, environmentLookup, secrets); }
            catch (BatchShipException e)
            {
                credentialsPresent = false;
                problems.Add(new CarrierProblem(Error, $"{e.Error.Code} {e.Message}", e.Remedy));
            }
        }

        McpCarrierSession session;
        try
        {
            session = await McpCarrierSession.StartAsync(profile, environment, requireCreateTool: false, cancellationToken).ConfigureAwait(false);
        }
        catch (BatchShipException e)
        {
            problems.Add(new CarrierProblem(Error, $"{e.Error.Code} {e.Message}", e.Remedy));
            return new CarrierCheckResult(profile.Name, false, [], [], credentialsPresent, null, problems);
        }

        await using (session.ConfigureAwait(false))
        {
            var missing = new List<string>();
            // A profile without a create tool (validation, tracking) is checked for the tools it has.
            if (profile.CreateTool is { } create && !session.Tools.Contains(create, StringComparer.Ordinal))
            {
                missing.Add(create);
                problems.Add(new CarrierProblem(Error,
                    $"The carrier offers no create tool '{create}'; it offers: {string.Join(", ", session.Tools)}.",
                    "Name the carrier's create tool in the profile: Register-BatchShipCarrier -Name " + profile.Name + " -CreateTool <tool> -Force."));
            }
            if (profile.CreateTool is not null && (profile.LookupTool is null || !session.Tools.Contains(profile.LookupTool, StringComparer.Ordinal)))
            {
                if (profile.LookupTool is not null) missing.Add(profile.LookupTool);
                problems.Add(new CarrierProblem(Warning,
                    profile.LookupTool is null
                        ? "The profile names no lookup tool, so an unknown outcome will go to NeedsReview."
                        : $"The carrier offers no lookup tool '{profile.LookupTool}', so an unknown outcome will go to NeedsReview.",
                    "Use a server with a lookup tool (matt-hans/ups-mcp's recover_label) and name it with -LookupTool, or check NeedsReview rows by hand with Resolve-BatchShipment."));
            }

            bool? rateOk = null;
            if (rate)
            {
                if (!session.Tools.Contains(RateTool, StringComparer.Ordinal))
                {
                    rateOk = false;
                    problems.Add(new CarrierProblem(Error, $"The carrier offers no tool '{RateTool}' to ask a quote from.",
                        "Leave out -Rate for this carrier, or use a server that offers rate_shipment."));
                }
                else
                {
                    var (ok, text) = await session.CallForCheckAsync(RateTool, SampleRateRequest, cancellationToken).ConfigureAwait(false);
                    rateOk = ok;
                    if (!ok)
                        problems.Add(new CarrierProblem(Error, $"The carrier refused a quote for a small US parcel: {text}",
                            "Check the credentials and account number the profile gives the carrier; the carrier's words above say which."));
                }
            }
            return new CarrierCheckResult(profile.Name, true, session.Tools, missing, credentialsPresent, rateOk, problems);
        }
    }

    // One 2 lb Ground parcel from Atlanta to San Francisco: small, domestic, valid everywhere UPS rates.
    private const string SampleRateRequest = """
        {"requestoption": "Rate", "request_body": {"RateRequest": {
          "Request": {"TransactionReference": {"CustomerContext": "BatchShip carrier check"}},
          "Shipment": {
            "Shipper": {"Name": "BatchShip Check", "ShipperNumber": "A1B2C3",
              "Address": {"AddressLine": ["55 Trinity Ave SW"], "City": "Atlanta", "StateProvinceCode": "GA", "PostalCode": "30303", "CountryCode": "US"}},
            "ShipTo": {"Name": "BatchShip Check",
              "Address": {"AddressLine": ["1 Market St"], "City": "San Francisco", "StateProvinceCode": "CA", "PostalCode": "94105", "CountryCode": "US"}},
            "ShipFrom": {"Name": "BatchShip Check",
              "Address": {"AddressLine": ["55 Trinity Ave SW"], "City": "Atlanta", "StateProvinceCode": "GA", "PostalCode": "30303", "CountryCode": "US"}},
            "PaymentDetails": {"ShipmentCharge": [{"Type": "01", "BillShipper": {"AccountNumber": "A1B2C3"}}]},
            "Service": {"Code": "03"},
            "Package": [{"PackagingType": {"Code": "02"},
              "PackageWeight": {"UnitOfMeasurement": {"Code": "LBS"}, "Weight": "2"}}]}}}}
        """;
}
