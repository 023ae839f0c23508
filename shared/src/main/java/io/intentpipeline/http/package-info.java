/**
 * HTTP API plumbing for the functions: the {@link io.intentpipeline.http.Router} (routes by
 * method and path; bad input becomes a 400, an {@link io.intentpipeline.http.ApiException} its status,
 * anything else a 500 that reveals nothing), request access ({@link
 * io.intentpipeline.http.HttpRequest},
 * strict {@link io.intentpipeline.http.QueryParams}), paging ({@link
 * io.intentpipeline.http.PageRequest},
 * the opaque {@link io.intentpipeline.http.PageCursor}, {@link io.intentpipeline.http.Page}), JSON
 * responses and the error body, {@link io.intentpipeline.http.DatabaseCalls} (an unreachable database
 * is
 * a 503), and {@link io.intentpipeline.http.HttpApiEvent}, the hand-written event reader of predict's
 * cold path.
 *
 * <p>Used by: the functions' route classes; domain packages use only {@code Page}, {@code
 * PageRequest}, {@code PageCursor} and {@code QueryParams}.
 */
package io.intentpipeline.http;
