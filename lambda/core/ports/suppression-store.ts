import type { Suppression } from '../domain/suppression.ts';

/** Bounced and complaining addresses: read by everyone, written only by the bounce handler. */
export interface SuppressionReader {
  getSuppression(subscriberId: string): Promise<Suppression | undefined>;
  /** Every suppression by subscriber id (one strongly consistent Query). */
  listSuppressions(): Promise<Map<string, Suppression>>;
}

export interface SuppressionStore extends SuppressionReader {
  /** Records a suppression (a plain put: recording one twice is harmless). Never lifted by the API. */
  suppress(suppression: Suppression): Promise<void>;
}
