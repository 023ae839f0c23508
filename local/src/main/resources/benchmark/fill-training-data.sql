-- ./pipeline benchmark queries: rows of ai_training_data shaped like the live table after 90 days.
--   intents   77 (intent_00 .. intent_76), skewed: the most frequent ~14 %, the rarest ~0.6 %
--   source    90 % live, 8 % imported (no prediction: no confidence), 2 % synthetic
--   confidence mostly high (median ~91), a long tail down to 30; the margin to the second-best
--             intent is a share of it; top_intents holds both
--   audited   2 % of live rows (review_reason 'audit', the default AUDIT_SHARE), picked at random
--   reviewed  ~5.5 % of the other live rows (half 'reviewed', half 'approved'), and every audited
--             row older than a day (reviewers keep up with the audit sample); wrong more often when
--             the bot was unsure (10 % + up to 50 %): about 1 % of all rows are misclassified
--   escalated 4 % + up to 40 % when unsure
--   status    the rest: 5 % used_in_training, 1 % rejected, otherwise pending
--   time      uniform over the last 90 days
-- The review trigger fills intent_correct and corrected_by_human, as in production.
INSERT INTO ai_training_data (interaction_id, user_message, detected_intent, correct_intent, ai_response,
  confidence_score, top_intents, intent_margin, escalated, response_source, category, source,
  dataset_status, corrected_by, corrected_at, occurred_at, created_at, review_reason)
SELECT 'bench-' || g,
       'sample question ' || g || ' about ' || intent || ', please help me with this',
       intent,
       CASE WHEN reviewed THEN CASE WHEN wrong THEN alt ELSE intent END END,
       repeat('Here is how to handle it. ', 10),
       conf,
       CASE WHEN conf IS NOT NULL THEN jsonb_build_array(
           jsonb_build_object('intent', intent, 'confidence', conf / 100.0),
           jsonb_build_object('intent', alt, 'confidence', round((conf / 100.0 - margin)::numeric, 4))) END,
       margin,
       escalated,
       CASE WHEN src = 'imported' THEN NULL WHEN r_esc < 0.5 THEN 'faq' WHEN r_esc < 0.85 THEN 'llm' ELSE 'cache' END,
       'cat_' || (k % 12),
       src,
       CASE WHEN reviewed THEN CASE WHEN r_st < 0.5 THEN 'reviewed' ELSE 'approved' END
            WHEN src = 'imported' THEN 'approved'
            WHEN r_st < 0.05 THEN 'used_in_training'
            WHEN r_st < 0.06 THEN 'rejected'
            ELSE 'pending' END,
       CASE WHEN reviewed THEN '00000000-0000-4000-8000-000000000001'::uuid END,
       CASE WHEN reviewed THEN occurred_at + interval '1 day' END,
       occurred_at,
       occurred_at + interval '2 seconds',
       CASE WHEN audited THEN 'audit' END
FROM (
  SELECT g, k, src, conf, intent, alt, occurred_at, r_esc, r_st, audited,
         CASE WHEN conf IS NOT NULL THEN (conf / 100.0 * r_m)::real END AS margin,
         src = 'live' AND (CASE WHEN audited THEN occurred_at < now() - interval '1 day' ELSE r_rev < 0.055 END)
           AS reviewed,
         r_wrong < 0.1 + 0.5 * (1 - COALESCE(conf, 100) / 100.0) AS wrong,
         src <> 'imported' AND r_esc < 0.04 + 0.4 * (1 - COALESCE(conf, 100) / 100.0) AS escalated
  FROM (
    SELECT g, k, src, r_m, r_rev, r_wrong, r_esc, r_st, occurred_at, src = 'live' AND r_aud < 0.02 AS audited,
           'intent_' || lpad(k::text, 2, '0') AS intent,
           'intent_' || lpad(((k + 1 + floor(r_alt * 76)::int) % 77)::text, 2, '0') AS alt,
           CASE WHEN src = 'imported' THEN NULL ELSE 100 - floor(70 * power(r_conf, 3))::int END AS conf
    FROM (
      SELECT g,
             floor(77 * power(random(), 2.2))::int AS k,
             CASE WHEN r < 0.90 THEN 'live' WHEN r < 0.98 THEN 'imported' ELSE 'synthetic' END AS src,
             random() AS r_conf, random() AS r_m, random() AS r_rev, random() AS r_wrong,
             random() AS r_esc, random() AS r_st, random() AS r_alt, random() AS r_aud,
             now() - random() * interval '90 days' AS occurred_at
      FROM (SELECT g, random() AS r FROM generate_series(1, ?) g) base
    ) a
  ) b
) c
