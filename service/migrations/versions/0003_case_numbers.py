"""case numbers reserved while a new case's first document is made, or released for reuse

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 10:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('case_numbers',
    sa.Column('symbol', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('number', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('token', sa.String(length=32), nullable=True),
    sa.Column('reserved_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('symbol', 'year', 'number', name=op.f('pk_case_numbers'))
    )


def downgrade():
    op.drop_table('case_numbers')
