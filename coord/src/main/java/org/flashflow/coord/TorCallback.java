package org.flashflow.coord;

/**
 * The completion of one asynchronous tor command. The adapter runs blocking commands off the loop
 * and calls exactly one of these methods, always on the loop, so the core never sees another
 * thread.
 */
public interface TorCallback<T> {
  void onSuccess(T result);

  void onError(TorFailure failure);
}
