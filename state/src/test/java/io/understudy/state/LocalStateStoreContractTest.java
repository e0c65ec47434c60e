package io.understudy.state;

/** The in-memory store meets the contract. */
class LocalStateStoreContractTest extends StateStoreContract {
    @Override
    protected StateStore open() {
        return new LocalStateStore();
    }
}
