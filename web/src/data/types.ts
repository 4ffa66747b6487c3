import type { Role as AnyRole, Status } from "../../../functions/core/model";

export type { Status };
/** The roles a person switches between in the app (admin is a flag on the account). */
export type Role = Exclude<AnyRole, "admin">;
export type Locale = "zh-CN" | "en";

export interface LatLng {
  lat: number;
  lng: number;
}

export interface Membership {
  communityId: string;
  roles: (Role | "admin")[];
  branchId?: string;
}

export interface Me {
  id: string;
  phone: string;
  name: string;
  lang: Locale;
  admin: boolean;
  communities: Membership[];
}

export interface Category {
  code: string;
  name: Record<Locale, string>;
}

export interface Community {
  id: string;
  name: string;
  settings: { fenceRadiusMeters: number };
  branches: { id: string; name: string }[];
  categories: Category[];
}

export interface Stamp {
  at: string;
  lat: number;
  lng: number;
  accuracy: number;
  signedByResident?: boolean;
}

export interface Claim {
  wishId: string;
  memberId: string;
  memberName: string;
  branchId?: string;
  claimedAt: string;
  dispatchedBy?: string;
  checkIn?: Stamp;
  checkOut?: Stamp;
}

export interface TimelineEvent {
  id: string;
  kind: string;
  actorId: string;
  actorName: string;
  at: string;
  from: Status | null;
  to: Status;
  note?: string;
  data?: Record<string, unknown>;
}

export interface Wish {
  id: string;
  communityId: string;
  status: Status;
  category: string;
  title: string;
  description: string;
  address?: string;
  location?: LatLng;
  window?: { from: string; to: string };
  ownerId: string;
  ownerName: string;
  contactPhone?: string;
  slots: number;
  claimed: number;
  estimatedMinutes?: number;
  deadline?: string;
  handshakeCode?: string;
  createdAt: string;
  updatedAt: string;
  approvedAt?: string;
  startedAt?: string;
  completedAt?: string;
  completionNote?: string;
  rating?: number;
  comment?: string;
  rejectReason?: string;
  cancelReason?: string;
  disputeReason?: string;
}

export interface WishView extends Wish {
  claims: Claim[];
  timeline: TimelineEvent[];
}

export interface Page<T> {
  items: T[];
  cursor?: string;
}

export interface Person {
  id: string;
  name: string;
  roles: string[];
  branchId?: string;
}

export interface LedgerEntry {
  wishId: string;
  content: string;
  category: string;
  place?: string;
  start?: string;
  end?: string;
  minutes: number;
  verifierName: string;
  verifiedAt: string;
}
