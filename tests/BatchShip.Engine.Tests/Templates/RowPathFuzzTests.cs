using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Execution;
using BatchShip.Engine.Input;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Store;
using BatchShip.Engine.Templates;
using BatchShip.Engine.Tests.Carriers;
using BatchShip.Engine.Tests.Execution;
using CsCheck;

namespace BatchShip.Engine.Tests.Templates;

/// <summary>
/// Random rows (any Unicode, any length up to the cell limit, any column names) through staging into a real store and
/// the built-in ups-ground template: each row renders to JSON whose free-text fields are its cells after the documented
/// truncation, or fails with a catalogue error that names its row (and its column when one cell is at fault). Nothing
/// else may escape. A few seconds in the normal run; BATCHSHIP_FUZZ_SECONDS=600 runs it for ten minutes.
/// </summary>
public sealed partial class RowPathFuzzTests : IDisposable
{
    private static readonly ShipmentTemplate Ground = TemplateLibrary.Load("ups-ground", TemplateKit.BuiltInDirectory);

    private static readonly (string Name, string Valid)[] Known =
    [
        ("RecipientName", "Jane Doe"), ("Company", "Doe Industries"), ("Address1", "12 Elm Street"), ("Address2", "Apt 4"),
        ("City", "Boston"), ("State", "MA"), ("PostalCode", "02134"), ("Country", "US"), ("Phone", "617 555 0199"),
        ("Email", "jane@example.com"), ("Residential", "yes"), ("WeightLb", "2.5"), ("LengthIn", "10"), ("WidthIn", "8"),
        ("HeightIn", "4"), ("PackageCount", "2"), ("Service", "Ground"), ("Reference", "SO-1"), ("Description", "Books"),
    ];

    private readonly TempFolder _folder = new();
    private readonly BatchStore _store;

    public RowPathFuzzTests() => _store = BatchStore.Open(_folder.Combine("store"));

    public void Dispose()
    {
        _store.Dispose();
        _folder.Dispose();
    }

    private static int Seconds =>
        int.TryParse(Environment.GetEnvironmentVariable("BATCHSHIP_FUZZ_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 3;

    // Any UTF-16 code unit (lone surrogates, controls, quotes, braces included), of lengths that cross the limits.
    private static readonly Gen<string> AnyText = Gen.Frequency(
        (6, Gen.Char.Array[0, 40].Select(c => new string(c))),
        (3, Gen.String[0, 200]),
        (1, Gen.Char.Array[RowLimits.MaxCellLength - 5, RowLimits.MaxCellLength + 5].Select(c => new string(c))));

    private static readonly Gen<string> AnyName = Gen.Frequency(
        (4, Gen.Char.Array[0, 20].Select(c => new string(c))),
        (2, Gen.OneOf(Known.Select(k => k.Name).ToArray()).Select(Gen.Bool, (n, upper) => upper ? n.ToUpperInvariant() : " " + n)));

    // A valid row with some cells replaced by random text, some removed, and random columns added.
    private static readonly Gen<KeyValuePair<string, string>[]> Rows =
        Gen.Int[0, 3].Array[Known.Length].Select(AnyText.Array[Known.Length], Gen.Select(AnyName, AnyText).Array[0, 4], (choice, text, extra) =>
            Known.Select((k, i) => (k, i)).Where(x => choice[x.i] != 0)
                .Select(x => KeyValuePair.Create(x.k.Name, choice[x.i] == 1 ? text[x.i] : x.k.Valid))
                .Concat(extra.Select(e => KeyValuePair.Create(e.Item1, e.Item2)))
                .ToArray());

    [Fact]
    public void Every_row_renders_its_own_values_or_fails_with_a_coded_error_naming_it()
    {
        var staging = Begin();
        Rows.Sample(row => CheckRow(staging, row), time: Seconds, threads: 1, print: Show);
    }

    private static void CheckRow(JobStaging staging, KeyValuePair<string, string>[] row)
    {
        var rowNumber = staging.Count + 1;
        try
        {
            staging.Add(row);
            var checkedRow = InputColumns.Check(row, rowNumber);
            var json = Ground.Render(new TemplateInput(rowNumber, checkedRow, BatchHarness.Shipper, staging.Job.JobId, "fuzz", JobIds.Reference(staging.Job.JobId, rowNumber)));
            AssertCopiesItsCells(json, checkedRow);
        }
        catch (BatchShipException e)
        {
            Assert.Matches(Code(), e.Error.Code);
            Assert.Same(e.Error, ErrorCatalog.Get(e.Error.Code));
            Assert.Equal(rowNumber, e.RowNumber);
            // A missing column is named so that it can be added; any other error names a cell of the row.
            if (e.Field is not null && e.Error != ErrorCatalog.BadColumnName && e.Error != ErrorCatalog.MissingField)
                Assert.Contains(row, c => string.Equals(c.Key, e.Field, StringComparison.OrdinalIgnoreCase));
        }
    }

    private static void AssertCopiesItsCells(string json, IReadOnlyList<KeyValuePair<string, string>> row)
    {
        string? Cell(string name) => row.FirstOrDefault(c => string.Equals(c.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.Trim();
        static string OrDefault(string? value, string fallback) => string.IsNullOrEmpty(value) ? fallback : value;

        using var document = JsonDocument.Parse(json);
        var shipment = document.RootElement.GetProperty("request_body").GetProperty("ShipmentRequest").GetProperty("Shipment");
        var shipTo = shipment.GetProperty("ShipTo");
        Assert.Equal(TextFit.Truncate(Cell("City"), 30), shipTo.GetProperty("Address").GetProperty("City").GetString());
        Assert.Equal(TextFit.Truncate(OrDefault(Cell("Description"), "Merchandise"), 50), shipment.GetProperty("Description").GetString());
        var name = OrDefault(Cell("Company"), Cell("RecipientName") ?? "");
        Assert.Equal(TextFit.Truncate(name), shipTo.GetProperty("Name").GetString());
        var lines = shipTo.GetProperty("Address").GetProperty("AddressLine").EnumerateArray().Select(l => l.GetString()).ToArray();
        Assert.Equal(Words(Cell("Address1"), Cell("Address2"), Cell("Address3")), Words([.. lines]));
        if (!string.IsNullOrEmpty(Cell("Email")))
            Assert.Equal(TextFit.Truncate(Cell("Email"), 50), shipTo.GetProperty("EMailAddress").GetString());
    }

    // Address lines move words between lines, never lose or change one.
    private static string Words(params string?[] parts) =>
        string.Join(' ', parts.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => TextFit.Truncate(p, int.MaxValue)));

    private JobStaging Begin()
    {
        var request = new BatchRequest("ups-ground", new Dictionary<string, string?>(), "Sandbox", "fuzz", _folder.Combine("labels"),
            new JobOptions { AllowDuplicate = true });
        var batch = new PreparedBatch(request, Ground, BatchHarness.Shipper, SandboxCarrierProcess.Profile(_folder.Combine("ledger.jsonl")));
        var job = _store.CreateJob(new NewJob(request.Name, batch.Template.Name, batch.Template.Source, batch.Carrier.Name,
            batch.Shipper, request.LabelDirectory, batch.Options));
        return new JobStaging(job, _store.BeginStaging(job.JobId), batch, null);
    }

    private static string Show(KeyValuePair<string, string>[] row) =>
        string.Join(", ", row.Select(c => $"{JsonSerializer.Serialize(c.Key)}={JsonSerializer.Serialize(c.Value.Length > 80 ? c.Value[..80] + $"...({c.Value.Length})" : c.Value)}"));

    [GeneratedRegex(@"^E-[1-5]\d{3}$")]
    private static partial Regex Code();
}
