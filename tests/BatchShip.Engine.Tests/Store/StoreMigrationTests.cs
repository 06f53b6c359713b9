using BatchShip.Engine.Carriers;
using BatchShip.Engine.Jobs;
using BatchShip.Engine.Store;
using BatchShip.Engine.Tests.Execution;
using Microsoft.Data.Sqlite;

namespace BatchShip.Engine.Tests.Store;

/// <summary>A store written by an older BatchShip is migrated forward, and what it knew stays true.</summary>
public sealed class StoreMigrationTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Natural_keys_stored_by_an_older_version_are_recomputed_so_a_shipped_order_is_still_known()
    {
        var folder = _folder.Combine("store");
        string jobId;
        var order = BatchHarness.Order("ord-1001");
        using (var store = BatchStore.Open(folder))
        {
            var job = store.CreateJob(new NewJob("old", "ups-ground", "{}", CarrierProfiles.SandboxName, BatchHarness.Shipper, null, new JobOptions()));
            jobId = job.JobId;
            var stager = store.BeginStaging(jobId);
            stager.Add(order, "sandbox|A1B2C3|key:ord-1001"); // as the first schema stored it: case kept
            stager.Complete();
        }
        using (var old = new SqliteConnection($"Data Source={Path.Combine(folder, StoreLocation.DatabaseFileName)};Pooling=False"))
        {
            old.Open();
            using var cmd = old.CreateCommand();
            // A store of schema 2 had nothing that later migrations add.
            cmd.CommandText = "DROP TABLE shipped_keys; ALTER TABLE jobs DROP COLUMN cancel_requested; DROP INDEX rows_group; ALTER TABLE rows DROP COLUMN group_row; " +
                "ALTER TABLE rows DROP COLUMN delivery_status; ALTER TABLE rows DROP COLUMN delivered_at; ALTER TABLE rows DROP COLUMN tracked_at; " +
                "ALTER TABLE rows DROP COLUMN package_tracking_number; DROP INDEX rows_key_claim; ALTER TABLE rows DROP COLUMN key_claim; " +
                "ALTER TABLE rows DROP COLUMN run_id; ALTER TABLE rows DROP COLUMN claimed_by; ALTER TABLE jobs DROP COLUMN run_error_code; ALTER TABLE jobs DROP COLUMN run_error_message; " +
                "PRAGMA user_version = 2;";
            cmd.ExecuteNonQuery();
        }

        using var migrated = BatchStore.Open(folder);

        var expected = NaturalKeys.For(order, null, CarrierProfiles.SandboxName, BatchHarness.Shipper["ShipperNumber"], 1);
        Assert.Equal(expected, migrated.GetRow(jobId, 1).NaturalKey);
        Assert.Equal(expected, NaturalKeys.For(BatchHarness.Order("ORD-1001"), null, CarrierProfiles.SandboxName, BatchHarness.Shipper["ShipperNumber"], 1));
        Assert.NotEqual("sandbox|A1B2C3|key:ord-1001", expected);
    }
}
