using System.Data.Common;
using System.Globalization;
using BatchShip.Engine.Errors;
using BatchShip.Engine.Jobs;

namespace BatchShip.Engine.Store;

public sealed partial class BatchStore
{
    private const string RowColumns = "job_id, row_number, input_json, natural_key, reference, request_hash, status, tracking_numbers, shipment_id, cost, currency, label_paths, error_code, error_message, error_field, related_job_id, attempts, created_at, updated_at, absent_after, group_row, delivery_status, delivered_at, tracked_at, package_tracking_number";

    /// <summary>Starts staging rows into a Created job. Rows are committed in chunks so memory stays flat
    /// and other processes are not locked out for the whole input.</summary>
    public RowStager BeginStaging(string jobId) => new(this, jobId);

    internal sealed record StagedRow(long RowNumber, string InputJson, string? NaturalKey, long? GroupRow = null);

    internal void InsertRows(string jobId, IReadOnlyList<StagedRow> rows, bool complete, long totalRows)
    {
        Write(tx =>
        {
            // The job first: one removed while it was being staged (Remove-BatchJob on a half-staged job) stops the
            // staging with E-4004 here, before its rows would break the foreign key.
            using (var cmd = Command("UPDATE jobs SET row_count = @n, staging_complete = @done WHERE job_id = @job AND status = 'Created'", tx))
            {
                cmd.Bind("@n", totalRows);
                cmd.Bind("@done", complete ? 1 : 0);
                cmd.Bind("@job", jobId);
                if (cmd.ExecuteNonQuery() != 1)
                    throw new BatchShipException(ErrorCatalog.JobState, $"Job {jobId} is not being staged (it was removed or has run); nothing was shipped.", jobId: jobId);
            }
            if (rows.Count > 0)
            {
                using var cmd = Command("INSERT INTO rows(job_id, row_number, input_json, natural_key, reference, status, created_at, updated_at, group_row) VALUES (@job, @row, @input, @key, @ref, 'Pending', @now, @now, @group)", tx);
                var pJob = cmd.Bind("@job", System.Data.DbType.String);
                var pRow = cmd.Bind("@row", System.Data.DbType.Int64);
                var pInput = cmd.Bind("@input", System.Data.DbType.String);
                var pKey = cmd.Bind("@key", System.Data.DbType.String);
                var pRef = cmd.Bind("@ref", System.Data.DbType.String);
                var pNow = cmd.Bind("@now", System.Data.DbType.String);
                var pGroup = cmd.Bind("@group", System.Data.DbType.Int64);
                cmd.Prepare();
                var now = FormatTime(Now);
                foreach (var row in rows)
                {
                    pJob.Value = jobId;
                    pRow.Value = row.RowNumber;
                    pInput.Value = row.InputJson;
                    pKey.Value = (object?)row.NaturalKey ?? DBNull.Value;
                    pRef.Value = JobIds.Reference(jobId, row.RowNumber);
                    pNow.Value = now;
                    pGroup.Value = (object?)row.GroupRow ?? DBNull.Value;
                    cmd.ExecuteNonQuery();
                }
            }
            if (complete) AppendAudit(tx, jobId, null, "RowsStaged", new { rows = totalRows });
        });
    }

    /// <summary>Up to <paramref name="limit"/> Pending rows after a row number, in order (index seek, no scan).</summary>
    public IReadOnlyList<RowRecord> PendingRows(string jobId, long afterRowNumber, int limit)
    {
        return Read(c =>
        {
            using var cmd = Command($"SELECT {RowColumns} FROM rows WHERE job_id = @job AND status = 'Pending' AND row_number > @after AND (group_row IS NULL OR group_row = row_number) ORDER BY row_number LIMIT @limit", c);
            cmd.Bind("@job", jobId);
            cmd.Bind("@after", afterRowNumber);
            cmd.Bind("@limit", limit);
            return ReadRows(cmd);
        });
    }

    /// <summary>The rows of a job, optionally only some statuses or row numbers, in row order.</summary>
    public IReadOnlyList<RowRecord> GetRows(string jobId, IReadOnlyCollection<RowStatus>? statuses = null, IReadOnlyCollection<long>? rowNumbers = null)
    {
        return Read(c =>
        {
            using var cmd = Command("", c);
            var sql = $"SELECT {RowColumns} FROM rows WHERE job_id = @job";
            cmd.Bind("@job", jobId);
            if (statuses is { Count: > 0 })
                sql += " AND status IN (" + string.Join(", ", statuses.Select((s, i) => { cmd.Bind($"@s{i}", s.ToString()); return $"@s{i}"; })) + ")";
            if (rowNumbers is { Count: > 0 })
                sql += " AND row_number IN (" + string.Join(", ", rowNumbers.Select((n, i) => { cmd.Bind($"@r{i}", n); return $"@r{i}"; })) + ")";
            cmd.CommandText = sql + " ORDER BY row_number";
            return ReadRows(cmd);
        });
    }

    /// <summary>The rows of every job whose order key (the Reference column, or the job's -KeyProperty column) matches
    /// a wildcard pattern (<c>*</c> and <c>?</c>, without case), oldest job first, then in row order.</summary>
    public IReadOnlyList<RowRecord> FindRowsByOrder(string pattern, IReadOnlyCollection<RowStatus>? statuses = null)
    {
        return Read(c =>
        {
            using var cmd = Command("", c);
            // Keys are stored upper-cased (NaturalKeys) and so is the pattern, so LIKE matches without case on both
            // databases (SQLite's LIKE folds ASCII only, PostgreSQL's folds nothing: neither has anything left to fold).
            var sql = $"SELECT {RowColumns} FROM rows WHERE natural_key LIKE @pattern ESCAPE '\\'";
            cmd.Bind("@pattern", NaturalKeys.OrderLikePattern(pattern));
            if (statuses is { Count: > 0 })
                sql += " AND status IN (" + string.Join(", ", statuses.Select((s, i) => { cmd.Bind($"@s{i}", s.ToString()); return $"@s{i}"; })) + ")";
            cmd.CommandText = sql + " ORDER BY (SELECT created_at FROM jobs WHERE jobs.job_id = rows.job_id), job_id, row_number";
            return ReadRows(cmd);
        });
    }

    /// <summary>One row, or E-4006.</summary>
    public RowRecord GetRow(string jobId, long rowNumber) =>
        GetRows(jobId, rowNumbers: [rowNumber]).SingleOrDefault()
        ?? throw new BatchShipException(ErrorCatalog.NotFound, $"Job {jobId} has no row {rowNumber}.", rowNumber: rowNumber, jobId: jobId);

    /// <summary>
    /// Step 2 of the row protocol: Pending → InFlight with the request hash, durable before the carrier call.
    /// The natural-key rule is checked in the same transaction, so two runners can never both pass it; so is the
    /// run's fencing token, so a run that was taken over cannot start a row. The row records from when a "not found"
    /// proves its create absent: now plus <paramref name="absenceWindow"/> (the send deadline plus the call timeout),
    /// and which run sent it (so that, should that run die, the run that takes it over settles the row, once).
    /// </summary>
    public BeginResult TryBeginInFlight(string jobId, long rowNumber, string requestHash, bool allowDuplicate,
        RunToken? run = null, TimeSpan absenceWindow = default) => Write(tx =>
    {
        if (run is not null) EnsureEpoch(tx, run);
        string? key;
        using (var cmd = Command("SELECT status, natural_key, claimed_by FROM rows WHERE job_id = @job AND row_number = @row", tx))
        {
            cmd.Bind("@job", jobId);
            cmd.Bind("@row", rowNumber);
            using var r = cmd.ExecuteReader();
            if (!r.Read() || r.GetString(0) != nameof(RowStatus.Pending)) return new BeginResult(BeginKind.NotPending);
            // A row another runner of the job claimed is that runner's to send.
            if (run is not null && Str(r, 2) is { } claimedBy && claimedBy != run.RunId) return new BeginResult(BeginKind.NotPending);
            key = r.IsDBNull(1) ? null : r.GetString(1);
        }
        if (key is not null && !allowDuplicate)
        {
            using var cmd = Command("SELECT job_id, row_number, status, tracking_numbers, shipment_id, cost, currency, label_paths FROM rows WHERE natural_key = @key AND status IN ('InFlight', 'Completed', 'NeedsReview') AND NOT (job_id = @job AND row_number = @row) ORDER BY status = 'Completed' DESC LIMIT 1", tx);
            cmd.Bind("@key", key);
            cmd.Bind("@job", jobId);
            cmd.Bind("@row", rowNumber);
            using var r = cmd.ExecuteReader();
            (string Job, long Row, string Status, EarlierShipment Facts)? live = r.Read()
                ? (r.GetString(0), r.GetInt64(1), r.GetString(2), new EarlierShipment(Str(r, 3), Str(r, 4), Str(r, 5), Str(r, 6), Str(r, 7)))
                : null;
            r.Close();
            // A removed job's order blocks like a live one. One removed while its outcome was unknown is taken as
            // shipped too: its job is gone, so nothing would ever settle it, and sending it again could ship it twice.
            // The row then carries the earlier shipment's facts (a removed job keeps only its tracking numbers and
            // shipment id), so its result says what was shipped, without counting its cost in this job's total.
            var shipped = live is { Status: nameof(RowStatus.Completed) } l
                ? (l.Job, l.Row, l.Facts, Text: $"row {l.Row} of job {l.Job} (tracking {l.Facts.Tracking})", RemovedStatus: (string?)null)
                : FindRemovedShipment(tx, key) is { } removed
                    ? (removed.JobId, removed.RowNumber, new EarlierShipment(removed.Tracking, removed.ShipmentId, null, null, null), Text: RemovedShipmentText(removed), RemovedStatus: removed.Status)
                    : default((string Job, long Row, EarlierShipment Facts, string Text, string? RemovedStatus)?);
            if (shipped is { } by)
            {
                UpdateRow(tx, jobId, rowNumber, RowStatus.Pending, RowStatus.AlreadyShipped,
                    ("error_message", $"Already shipped by {by.Text}."), ("related_job_id", by.Job), ("tracking_numbers", by.Facts.Tracking),
                    ("shipment_id", by.Facts.ShipmentId), ("cost", by.Facts.Cost), ("currency", by.Facts.Currency), ("label_paths", by.Facts.LabelPaths));
                AppendAudit(tx, jobId, rowNumber, "RowAlreadyShipped",
                    new { otherJob = by.Job, otherRow = by.Row, tracking = by.Facts.Tracking, removedJobStatus = by.RemovedStatus });
                return new BeginResult(BeginKind.AlreadyShipped, by.Job, by.Row, by.Facts.Tracking);
            }
            if (live is { } held) return new BeginResult(BeginKind.Held, held.Job, held.Row);
        }
        var absentAfter = Now + absenceWindow;
        UpdateRow(tx, jobId, rowNumber, RowStatus.Pending, RowStatus.InFlight,
            ("request_hash", requestHash), ("attempts", new RawSql("attempts + 1")), ("absent_after", FormatTime(absentAfter)),
            ("key_claim", allowDuplicate ? null : key), ("run_id", run?.RunId), ("error_code", null), ("error_message", null), ("error_field", null));
        AppendAudit(tx, jobId, rowNumber, "RowInFlight", new { requestHash, absentAfter, run = run?.RunId });
        return new BeginResult(BeginKind.Started);
    });

    /// <summary>Who already shipped a natural key ("row N of job X, tracking T"), or null: for -WhatIf.</summary>
    public string? FindLiveShipment(string naturalKey)
    {
        return Read(c =>
        {
            using var cmd = Command("SELECT job_id, row_number, tracking_numbers FROM rows WHERE natural_key = @key AND status = 'Completed' LIMIT 1", c);
            cmd.Bind("@key", naturalKey);
            using (var r = cmd.ExecuteReader())
            {
                if (r.Read()) return $"row {r.GetInt64(1)} of job {r.GetString(0)} (tracking {Str(r, 2)})";
            }
            return FindRemovedShipment(c, naturalKey) is { } removed ? RemovedShipmentText(removed) : null;
        });
    }

    /// <summary>A person's decision on a NeedsReview row: it did ship, with this tracking number. For a row of a
    /// -GroupBy group the decision is the group's: it is recorded on the group's first row, and every row moves with it.</summary>
    public void ResolveAsShipped(string jobId, long rowNumber, string trackingNumber) => Write(tx =>
    {
            rowNumber = GroupLeaderOf(tx, jobId, rowNumber);
            UpdateRow(tx, jobId, rowNumber, RowStatus.NeedsReview, RowStatus.Completed,
                ("tracking_numbers", trackingNumber), ("shipment_id", trackingNumber.Split(';')[0]), ("error_code", null), ("error_message", null), ("error_field", null));
            AppendAudit(tx, jobId, rowNumber, "RowResolved", new { decision = "Shipped", trackingNumber });
    });

    /// <summary>A person's decision on a NeedsReview row: it did not ship; the next Resume sends it.</summary>
    public void ResolveAsNotShipped(string jobId, long rowNumber) => Write(tx =>
    {
            rowNumber = GroupLeaderOf(tx, jobId, rowNumber);
            UpdateRow(tx, jobId, rowNumber, RowStatus.NeedsReview, RowStatus.Pending, ("error_code", null), ("error_message", null), ("error_field", null));
            AppendAudit(tx, jobId, rowNumber, "RowResolved", new { decision = "NotShipped" });
    });

    /// <summary>Step 4: the carrier made the shipment and its labels are on disk. <paramref name="carrierCall"/>, when
    /// given, is the create call's CarrierCreate audit detail, written in the same transaction ahead of RowCompleted.
    /// Fenced by <paramref name="run"/> when given.</summary>
    public void CompleteRow(string jobId, long rowNumber, RowStatus from, ShipmentFacts shipment, string how, object? carrierCall = null, RunToken? run = null) => Write(tx =>
    {
        if (run is not null) EnsureEpoch(tx, run);
        if (carrierCall is not null) AppendAudit(tx, jobId, rowNumber, "CarrierCreate", carrierCall);
        UpdateRow(tx, jobId, rowNumber, from, RowStatus.Completed,
            ("shipment_id", shipment.ShipmentId),
            ("tracking_numbers", string.Join(";", shipment.TrackingNumbers)),
            ("cost", shipment.Cost?.ToString(CultureInfo.InvariantCulture)),
            ("currency", shipment.Currency),
            ("label_paths", string.Join(";", shipment.LabelPaths)),
            ("error_code", null), ("error_message", null), ("error_field", null));
        foreach (var (row, tracking) in shipment.PackageTrackingByRow ?? new Dictionary<long, string>())
        {
            using var cmd = Command("UPDATE rows SET package_tracking_number = @tracking WHERE job_id = @job AND row_number = @row", tx);
            cmd.Bind("@tracking", tracking);
            cmd.Bind("@job", jobId);
            cmd.Bind("@row", row);
            cmd.ExecuteNonQuery();
        }
        AppendAudit(tx, jobId, rowNumber, "RowCompleted", new { how, shipment.ShipmentId, trackingNumbers = shipment.TrackingNumbers, cost = shipment.Cost, shipment.Currency });
    });

    /// <summary>The row (other than the one given) that already holds this shipment id or one of these tracking numbers,
    /// as "row N of job X", or null. A lookup that answers with a shipment another row owns proves nothing about this one.</summary>
    public string? FindShipmentOwner(string jobId, long rowNumber, string shipmentId, IReadOnlyList<string> trackingNumbers)
    {
        return Read(c =>
        {
            // The shipments of removed jobs are still someone else's. Each tracking number is its own parameter, matched
            // against a row's shipment id or as one of its ';'-separated tracking numbers (a LIKE with its wildcards escaped).
            using var cmd = Command("", c);
            var matches = new List<string> { "shipment_id = @sid" };
            for (var i = 0; i < trackingNumbers.Count; i++)
            {
                matches.Add($"shipment_id = @t{i} OR (';' || tracking_numbers || ';') LIKE @l{i} ESCAPE '\\'");
                cmd.Bind($"@t{i}", trackingNumbers[i]);
                cmd.Bind($"@l{i}", "%;" + NaturalKeys.EscapeLike(trackingNumbers[i]) + ";%");
            }
            var owns = string.Join(" OR ", matches);
            cmd.CommandText = $"""
                SELECT job_id, row_number, 0 FROM rows
                WHERE shipment_id IS NOT NULL AND NOT (job_id = @job AND row_number = @row) AND status IN ('Completed', 'Voided') AND ({owns})
                UNION ALL
                SELECT job_id, row_number, 1 FROM shipped_keys
                WHERE shipment_id IS NOT NULL AND NOT (job_id = @job AND row_number = @row) AND ({owns})
                LIMIT 1
                """;
            cmd.Bind("@job", jobId);
            cmd.Bind("@row", rowNumber);
            cmd.Bind("@sid", shipmentId);
            using var r = cmd.ExecuteReader();
            return r.Read() ? $"row {r.GetInt64(1)} of {(r.GetInt64(2) == 1 ? "removed job" : "job")} {r.GetString(0)}" : null;
        });
    }

    /// <summary>A definite failure: the row's error is recorded and the row can be retried later.</summary>
    public void FailRow(string jobId, long rowNumber, RowStatus from, BatchShipException error, RunToken? run = null)
    {
        MoveRow(jobId, rowNumber, from, RowStatus.Failed, "RowFailed", error.Error.Code, error.Message, error.Field,
            new { code = error.Error.Code, carrierCode = error.CarrierCode, error.Field, error.Message }, run);
    }

    /// <summary>Nobody can tell whether the row shipped: a person (or a later lookup) must decide.</summary>
    public void MarkNeedsReview(string jobId, long rowNumber, string reason, RunToken? run = null) =>
        MoveRow(jobId, rowNumber, RowStatus.InFlight, RowStatus.NeedsReview, "RowNeedsReview", null, reason, null, new { reason }, run);

    /// <summary>Back to Pending (proven absent at the carrier, never sent, a retry, or a person's decision).</summary>
    public void ReturnToPending(string jobId, long rowNumber, RowStatus from, string reason, RunToken? run = null) =>
        MoveRow(jobId, rowNumber, from, RowStatus.Pending, "RowReturnedToPending", null, null, null, new { reason }, run);

    private void MoveRow(string jobId, long rowNumber, RowStatus from, RowStatus to, string auditEvent,
        string? code, string? message, string? field, object detail, RunToken? run) => Write(tx =>
    {
        if (run is not null) EnsureEpoch(tx, run);
        UpdateRow(tx, jobId, rowNumber, from, to, ("error_code", code), ("error_message", message), ("error_field", field));
        AppendAudit(tx, jobId, rowNumber, auditEvent, detail);
    });

    private sealed record RawSql(string Sql);

    /// <summary>The stored facts of the shipment an AlreadyShipped row points to, as the store holds them (text).</summary>
    private sealed record EarlierShipment(string? Tracking, string? ShipmentId, string? Cost, string? Currency, string? LabelPaths);

    // Every row change comes here: checked against the one transition table, and written only if the
    // row is still in the state the caller saw.
    private void UpdateRow(DbTransaction tx, string jobId, long rowNumber, RowStatus from, RowStatus to, params (string Column, object? Value)[] sets)
    {
        Transitions.EnsureAllowed(jobId, rowNumber, from, to);
        using var cmd = StatusUpdate(tx, from, to, sets, "row_number = @row", isLeader: true);
        cmd.Bind("@job", jobId);
        cmd.Bind("@row", rowNumber);
        if (cmd.ExecuteNonQuery() != 1)
            throw new BatchShipException(ErrorCatalog.JobState,
                $"Row {rowNumber} of job {jobId} is not {from}; it cannot become {to}.", rowNumber: rowNumber, jobId: jobId);
        MoveGroupMembers(tx, jobId, rowNumber, from, to, sets);
    }

    // One UPDATE of rows in state `from` that match `where` to state `to`, with the given columns set (a RawSql value
    // is written as SQL). Cost and currency are left out for the other rows of a group: the leader alone carries them.
    private DbCommand StatusUpdate(DbTransaction tx, RowStatus from, RowStatus to, (string Column, object? Value)[] sets, string where, bool isLeader)
    {
        var cmd = Command("", tx);
        var assignments = new List<string> { "status = @to", "updated_at = @now" };
        for (var i = 0; i < sets.Length; i++)
        {
            // The key claim is the leader's alone too: the members share its order, and the unique index on live claims
            // would refuse a second row claiming it.
            if (!isLeader && sets[i].Column is "cost" or "currency" or "key_claim") continue;
            if (sets[i].Value is RawSql raw) { assignments.Add($"{sets[i].Column} = {raw.Sql}"); continue; }
            assignments.Add($"{sets[i].Column} = @v{i}");
            cmd.Bind($"@v{i}", sets[i].Value ?? DBNull.Value);
        }
        cmd.CommandText = $"UPDATE rows SET {string.Join(", ", assignments)} WHERE job_id = @job AND {where} AND status = @from";
        cmd.Bind("@to", to.ToString());
        cmd.Bind("@from", from.ToString());
        cmd.Bind("@now", FormatTime(Now));
        return cmd;
    }

    // The other rows of a -GroupBy group ship with its leader: whatever the leader becomes, they become in the same
    // transaction, so a crash can never leave a line of an order behind its shipment. The cost is the leader's alone,
    // so that the job's total counts the shipment once.
    private void MoveGroupMembers(DbTransaction tx, string jobId, long leader, RowStatus from, RowStatus to, (string Column, object? Value)[] sets)
    {
        var members = new List<long>();
        using (var find = Command("SELECT row_number FROM rows WHERE job_id = @job AND group_row = @leader AND row_number <> @leader AND status = @from", tx))
        {
            find.Bind("@job", jobId);
            find.Bind("@leader", leader);
            find.Bind("@from", from.ToString());
            using var r = find.ExecuteReader();
            while (r.Read()) members.Add(r.GetInt64(0));
        }
        if (members.Count == 0) return;
        using var cmd = StatusUpdate(tx, from, to, sets, "group_row = @leader AND row_number <> @leader", isLeader: false);
        cmd.Bind("@job", jobId);
        cmd.Bind("@leader", leader);
        cmd.ExecuteNonQuery();
        foreach (var member in members)
            AppendAudit(tx, jobId, member, "RowMovedWithGroup", new { groupRow = leader, from = from.ToString(), to = to.ToString() });
    }

    // The row that carries a row's -GroupBy group through the protocol (itself when it is not grouped).
    private long GroupLeaderOf(DbTransaction tx, string jobId, long rowNumber)
    {
        using var cmd = Command("SELECT group_row FROM rows WHERE job_id = @job AND row_number = @row", tx);
        cmd.Bind("@job", jobId);
        cmd.Bind("@row", rowNumber);
        return cmd.ExecuteScalar() is long leader ? leader : rowNumber;
    }

    /// <summary>The rows that ship with a group's leader (not the leader itself), in row order.</summary>
    public IReadOnlyList<RowRecord> GroupMembers(string jobId, long leaderRow)
    {
        return Read(c =>
        {
            using var cmd = Command($"SELECT {RowColumns} FROM rows WHERE job_id = @job AND group_row = @leader AND row_number <> @leader ORDER BY row_number", c);
            cmd.Bind("@job", jobId);
            cmd.Bind("@leader", leaderRow);
            return ReadRows(cmd);
        });
    }

    private static List<RowRecord> ReadRows(DbCommand cmd)
    {
        using var r = cmd.ExecuteReader();
        var list = new List<RowRecord>();
        while (r.Read())
        {
            list.Add(new RowRecord(
                r.GetString(0), r.GetInt64(1), RowInput.Deserialize(r.GetString(2)), Str(r, 3), r.GetString(4), Str(r, 5),
                Enum.Parse<RowStatus>(r.GetString(6)), Split(Str(r, 7)), Str(r, 8),
                Str(r, 9) is { } cost ? decimal.Parse(cost, CultureInfo.InvariantCulture) : null, Str(r, 10), Split(Str(r, 11)),
                Str(r, 12), Str(r, 13), Str(r, 14), Str(r, 15), checked((int)r.GetInt64(16)), ParseTime(r.GetString(17)), ParseTime(r.GetString(18)))
            {
                AbsentAfter = ParseTimeOrNull(r, 19),
                GroupRow = r.IsDBNull(20) ? null : r.GetInt64(20),
                DeliveryStatus = Str(r, 21),
                DeliveredAt = ParseTimeOrNull(r, 22),
                TrackedAt = ParseTimeOrNull(r, 23),
                PackageTrackingNumber = Str(r, 24),
            });
        }
        return list;
    }

    private static string? Str(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static IReadOnlyList<string> Split(string? s) => string.IsNullOrEmpty(s) ? [] : s.Split(';');
}
