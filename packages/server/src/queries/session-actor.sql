select "u"."id", "u"."login_id", "u"."display_name", "u"."role", "u"."health_center_id", "u"."facility_id", "u"."prefecture_code", "hc"."name" as "hc_name", "hc"."prefecture_code" as "hc_prefecture", "f"."name" as "f_name", "f"."kind" as "f_kind", "f"."prefecture_code" as "f_prefecture", "p"."name" as "p_name", "s"."last_seen_at", "s"."totp_enrolment", "u"."password_change_required", "ac"."name" as "api_client_name"
from "sessions" as "s"
inner join "users" as "u" on "u"."id" = "s"."user_id"
left join "health_centers" as "hc" on "hc"."id" = "u"."health_center_id"
left join "facilities" as "f" on "f"."id" = "u"."facility_id"
left join "prefectures" as "p" on "p"."code" = "u"."prefecture_code"
left join "api_clients" as "ac" on "ac"."user_id" = "u"."id"
where "s"."token_hash" = $1
and "s"."expires_at" > $2
and "s"."last_seen_at" > $3
and "u"."disabled" = $4
