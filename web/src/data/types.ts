/**
 * The shapes the web app receives, from the same schemas that validate the API's answers and
 * describe them in /api/openapi.json (functions/app/responses.ts), and the state rules' types from
 * functions/core/model.ts. Type-only imports: nothing of zod reaches the browser.
 */
import type * as z from "zod/mini";
import type * as R from "../../../functions/app/responses";
import type * as S from "../../../functions/app/schemas";
import type * as A from "../../../functions/app/activity-schemas";
import type * as U from "../../../functions/app/unit-schemas";
import type { Role as AnyRole, Status } from "../../../functions/core/model";

export type { Status };
/** The roles a person switches between in the app (admin is a flag on the account). */
export type Role = Exclude<AnyRole, "admin">;
export type Locale = R.Me["lang"];

export type LatLng = R.LatLng;
export type Membership = R.Membership;
export type Me = R.Me;
export type MeAtHome = R.MeAtHome;
export type Community = R.Community;
export type Category = R.Community["categories"][number];
export type Stamp = R.Stamp;
export type Claim = R.Claim;
export type TimelineEvent = R.TimelineEvent;
export type Wish = R.Wish;
export type WishView = R.WishView;
export type SimilarWish = R.SimilarWishes["items"][number];
export type Person = R.Person;
export type LedgerEntry = R.LedgerEntry;
export type MemberHours = R.MemberHours;
export type Stats = R.Stats;
export type Rankings = R.Rankings;
export type Certificate = R.Certificate;
export type ImportReport = R.ImportReport;
export type Notification = R.Notification;
export type NotificationPage = R.NotificationPage;
export type Preferences = R.Preferences;
export type Voice = R.Voice;
export type Photo = R.Photo;
export type Upload = R.Upload;
export type Activity = R.Activity;
export type ActivityView = R.ActivityView;
export type Signup = R.Signup;
export type MyActivities = R.MyActivities;
export type NoticeSent = z.output<typeof R.NoticeSent>;
export type MenuItem = R.MenuItem;
export type Candidate = R.Candidate;

/** What the app sends: the request schemas' input types. */
export type NewWish = z.input<typeof S.NewWish>;
export type PreferencesChange = z.input<typeof S.Preferences>;
export type ProfileChange = z.input<typeof S.Profile>;
export type NewActivity = z.input<typeof A.NewActivity>;
export type PhotoPurpose = z.input<typeof S.Upload>["purpose"];
export type MenuItemChange = z.input<typeof S.MenuItem>;

/** A page of a list, as every list route answers (`items`, and `cursor` while more follow). */
export interface Page<T> {
  items: T[];
  cursor?: string;
}
export type Unit = z.output<typeof U.Unit>;
export type UnitStats = z.output<typeof U.UnitStats>;
export type UnitRankings = z.output<typeof U.UnitRankings>;
export type UnitKind = Unit["kind"];
export type AuditEvent = z.output<typeof U.AuditEvent>;
export type Appointed = z.output<typeof U.Appointed>;
export type Registration = z.output<typeof U.Registration>;
export type Invitation = z.output<typeof U.Invitation>;
