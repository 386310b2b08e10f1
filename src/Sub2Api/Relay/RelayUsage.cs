using Microsoft.Extensions.Options;
using Sub2Api.Billing;
using Sub2Api.Configuration;
using Sub2Api.Data.Entities;
using Sub2Api.Scheduling;

namespace Sub2Api.Relay;

/// <summary>
/// Step 7: prices the request and hands it to the recorder. Billed by the model the client asked for (as the
/// original), with the multiplier precedence user-group rate &gt; group rate &gt; default. Subscription groups charge
/// the subscription windows with the same multiplied cost as balances — one meaning of "multiplier" everywhere
/// (the original charged subscriptions unmultiplied, SPEC §12).
/// </summary>
internal sealed class RelayUsage(UsageRecorder recorder, PricingService pricing, IOptions<DefaultOptions> defaults, RunMode runMode,
    TimeProvider time)
{
    public ValueTask RecordAsync(RelayRequest request, AccountModel account, RelayOutcome outcome, HttpContext context,
        Observability.RelayObservation? observation = null)
    {
        var caller = request.Caller;
        var multiplier = caller.RateMultiplier(defaults.Value.RateMultiplier);
        var cost = CostCalculator.Calculate(pricing.Current.Lookup(request.Model), outcome.Usage, multiplier);
        if (observation is not null)
        {
            observation.Cost = cost;
        }
        var subscription = caller.Group?.SubscriptionType == SubscriptionTypes.Subscription ? caller.Subscription : null;
        var record = new UsageRecord
        {
            RequestId = request.RequestId,
            UserId = caller.User.Id,
            ApiKeyId = caller.Key.Id,
            AccountId = account.Id,
            GroupId = caller.Group?.Id,
            SubscriptionId = subscription?.Id,
            Model = request.Model,
            Tokens = outcome.Usage,
            Cost = cost,
            RateMultiplier = multiplier,
            AccountRateMultiplier = account.RateMultiplier,
            BillingType = subscription is null ? BillingTypes.Balance : BillingTypes.Subscription,
            Charge = !runMode.IsSimple,
            KeyHasQuota = caller.Key.Quota > 0,
            Stream = request.Stream,
            DurationMs = (int)time.GetElapsedTime(request.StartTimestamp).TotalMilliseconds,
            FirstTokenMs = outcome.FirstTokenMs,
            UserAgent = context.Request.Headers.UserAgent.ToString(),
            IpAddress = context.Connection.RemoteIpAddress?.ToString(),
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        return recorder.RecordAsync(record);
    }
}
