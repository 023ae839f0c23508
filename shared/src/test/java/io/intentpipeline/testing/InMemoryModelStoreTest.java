package io.intentpipeline.testing;

import io.intentpipeline.serving.S3ModelObject;
import io.intentpipeline.storage.ModelStoreContract;

/** The in-memory twin keeps the model store's contract (the same tests as {@code S3ModelStoreIT}). */
class InMemoryModelStoreTest implements ModelStoreContract<InMemoryModelStore> {
  @Override
  public InMemoryModelStore emptyStore() {
    return new InMemoryModelStore("models-twin");
  }

  @Override
  public InMemoryModelStore unreachableStore() {
    InMemoryModelStore store = new InMemoryModelStore("models-twin");
    store.unavailable(true);
    return store;
  }

  @Override
  public S3ModelObject latestObject(InMemoryModelStore store) {
    return store.latestObject();
  }
}
