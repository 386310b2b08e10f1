namespace Sub2Api.Billing;

/// <summary>
/// Holds the current <see cref="PricingTable"/>. Tables are immutable, so readers take <see cref="Current"/>
/// once and use it without locks; <see cref="PricingRefresher"/> swaps in a new one when a download succeeds.
/// </summary>
internal sealed class PricingService(PricingTable initial)
{
    private PricingTable _current = initial ?? throw new ArgumentNullException(nameof(initial));

    public PricingTable Current => Volatile.Read(ref _current);

    public ModelPrice Lookup(string model) => Current.Lookup(model);

    public void Replace(PricingTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        Volatile.Write(ref _current, table);
    }
}
